"""Analysis: the policy staff's pages over the whole corpus, beside the answer.

compare  → what two documents say on a question, aligned, with contrasts flagged
contrasts→ a passage's statements, and the contrasts between two of them
glossary → abbreviations and defined terms, read out of the indexed passages, with uses
definitions → the passages that define a term; term_question → the term a question asks
clause   → every passage that contains a term, with its variants
"""
