"""Text: what every stage needs to read Dutch policy text the same way.

normalize → folding (accents, case, OCR confusions), Dutch stemming, sentences, language
spelling  → a typed word read as the indexed word it is a keystroke or two from
domain    → the domain vocabulary from `bronwijzer/data/domain.toml` (abbreviations,
            bodies, statuses, condition markers): the only place domain words live

Imports nothing else of bronwijzer but `settings`, `types` and `errors`.
"""
