"""Answering: from the passages found to what a reader sees.

answer_types → what kind of answer a question asks for (an amount, a date, a name …)
expressions  → where a text holds an expression of that type
evidence     → does a passage answer what was asked: the features abstention rests on
abstain      → whether to answer at all, and the asked fact read out of the leading sentence
question     → what is asked: a verdict (allowed or required?), conditions, a fact, a proposal
shown        → the leading sentence (the decision's before a proposal's), further sentences,
               each inside the stretch of its paragraph shown with it
verdict      → 'ja', 'nee', 'onder voorwaarden', read from the leading sentence only
conditions   → the deciding document's condition sentences, from its condition sections too
compose      → the text and the numbered citations, in reading order
synthesis    → the optional model-written answer (llm), every quote checked (claims)
export       → an answer with its citations as Markdown

Abstention (evidence, abstain) decides before the rest whether anything is answered.
Takes passages and scored sentences from `bronwijzer.retrieval`; imports nothing above it.
"""
