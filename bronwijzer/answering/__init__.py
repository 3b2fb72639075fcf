"""Answering: from the passages found to what a reader sees.

question  → what is asked: a verdict (allowed or required?), conditions, a fact, a proposal
shown     → the leading sentence (the decision's before a proposal's), further sentences,
            each inside the stretch of its paragraph shown with it
verdict   → 'ja', 'nee', 'onder voorwaarden', read from the leading sentence only
conditions→ the deciding document's condition sentences, from its condition sections too
compose   → the text and the numbered citations, in reading order

evidence  → does a passage answer what was asked (sentence scores, answer-type checks)
abstain   → whether to answer at all, and the asked fact read out of the leading sentence
synthesis → the optional model-written answer, every quote checked word for word (llm)
export    → an answer with its citations as Markdown

Abstention (evidence, abstain) decides before the rest whether anything is answered.
"""
