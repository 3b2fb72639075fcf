"""Retrieval: from a question to the passages that bear on it, and their sentences.

query         → a question cleaned, and its words as the documents write them
term_weights  → how much a word says (IDF over the chunks); compounds, separable verbs
loaded        → one index generation in memory: retriever, term weights, speller, definitions
hybrid        → dense (Chroma) and Dutch-stemmed BM25, fused, with per-document diversity
sentences     → the sentences of the top passages, scored by the question's weighted terms
rerank        → fused passages re-ordered by how much of the question they hold
definitions   → the passages that define a term (also the glossary's source)
term_question → the term a question asks the meaning of
ordering      → decisions before proposals, definitions first, each passage with its
                continuation
followup      → an elliptic follow-up rewritten into a question that stands on its own

Reads the index through `bronwijzer.index`; answering takes its passages.
"""
