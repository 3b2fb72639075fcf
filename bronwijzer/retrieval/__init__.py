"""Retrieval: from a question to the passages that bear on it.

query    → a question cleaned, and its words as the documents write them
loaded   → one index generation in memory: retriever, term weights, speller, definitions
hybrid   → dense (Chroma) and Dutch-stemmed BM25, fused, with per-document diversity
ordering → decisions before proposals, definitions first, each passage with its continuation
followup → an elliptic follow-up rewritten into a question that stands on its own

Reads the index through `bronwijzer.index`; answering takes its passages.
"""
