"""Analysis: the policy staff's pages over the whole corpus, beside the answer.

compare  → what two documents say on a question, aligned, with contrasts flagged
contrasts→ a passage's statements, and the contrasts between two of them
glossary → abbreviations and defined terms, read out of the indexed passages, with uses
           (the defining passages come from `bronwijzer.retrieval.definitions`)
clause   → every passage that contains a term, with its variants

The top layer: it may use every stage and the knowledge base; nothing imports it but the
CLI and the UI.
"""
