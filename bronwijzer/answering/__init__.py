"""Answering: from the passages found to what a reader sees.

question  → what is asked: a verdict (allowed or required?), conditions, a fact, a proposal
shown     → the leading sentence (the decision's before a proposal's), further sentences,
            each inside the stretch of its paragraph shown with it
verdict   → 'ja', 'nee', 'onder voorwaarden', read from the leading sentence only
conditions→ the deciding document's condition sentences, from its condition sections too
compose   → the text and the numbered citations, in reading order

Abstention (`bronwijzer.evidence`, `bronwijzer.answer.should_abstain`) decides before this
whether anything is answered at all.
"""
