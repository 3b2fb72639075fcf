"""Retrieval: from a question to the passages that bear on it.

followup → an elliptic follow-up rewritten into a question that stands on its own
hybrid   → dense (Chroma) and Dutch-stemmed BM25, fused, with per-document diversity

Reads the index through `bronwijzer.index`; answering takes its passages.
"""
