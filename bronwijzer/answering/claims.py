"""A language model's reply checked: every claim's quote must stand, word for word, in the
passage it cites (after folding case, accents, OCR confusions, whitespace and line-break
hyphens, as the scorer does). A claim whose quote fails is dropped and counted; a verdict
whose quote fails is not shown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bronwijzer.answering.verdict import CONDITIONAL, JA, NEE
from bronwijzer.retrieval.sentences import Sentence
from bronwijzer.text.normalize import fold
from bronwijzer.types import Passage

_VERDICTS = {JA, NEE, CONDITIONAL}
# A quote shorter than this proves nothing ('ja', 'de NZa')
MIN_QUOTE_WORDS = 4
_TOKEN = re.compile(r"[^\W_]+")
# 'zorgverze- keraars': a word broken at a line end in the source
_BROKEN = re.compile(r"(?<=[^\W\d_])-\s+(?=[^\W\d_])")
_CLOSING = re.compile(r"[.!?;:)\]»”’'\"]+")  # the quote's closing punctuation
_WORD_JOINED = re.compile(r"[^\W_]+(?:-\s+[^\W\d_]+)*")


@dataclass(frozen=True)
class Claim:
    text: str
    sentence: Sentence  # the verified quote, located in its passage


@dataclass(frozen=True)
class Synthesis:
    verdict: str | None
    verdict_claim: Claim | None
    conditions: list[Claim]
    claims: list[Claim]
    dropped: int  # claims (and a verdict) whose quote is not in the passage they cite

    @property
    def empty(self) -> bool:
        return not (self.claims or self.conditions or self.verdict_claim)


def parse_reply(reply: str) -> dict[str, object]:
    """The JSON object of a reply (a ```json fence around it is allowed); ValueError else."""
    text = reply.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("geen JSON-object in het antwoord van het taalmodel")
    data = json.loads(text[start : end + 1])
    if not isinstance(data, dict):
        raise ValueError("het antwoord van het taalmodel is geen JSON-object")
    return data


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """(start, end) of the quote in the text, compared word by word after folding (a word
    broken at a line end counts as one, in both); None when its words do not stand there
    in order and together."""
    wanted = [fold(w) for w in _TOKEN.findall(_BROKEN.sub("", quote))]
    if len(wanted) < MIN_QUOTE_WORDS:
        return None
    spans = [(m.start(), m.end()) for m in _WORD_JOINED.finditer(text)]
    words = [fold(_BROKEN.sub("", text[a:b])) for a, b in spans]
    n = len(wanted)
    for i in range(len(words) - n + 1):
        if words[i] == wanted[0] and words[i : i + n] == wanted:
            end = spans[i + n - 1][1]
            closing = _CLOSING.match(text, end)
            return spans[i][0], closing.end() if closing else end
    return None


def verify(data: dict[str, object], passages: list[Passage]) -> Synthesis:
    """The claims of a parsed reply whose quotes stand in the passages they cite."""
    dropped = 0

    def claim(item: object) -> Claim | None:
        nonlocal dropped
        if not isinstance(item, dict):
            dropped += 1
            return None
        found = _find(item.get("quote"), item.get("passage"), passages)
        if found is None:
            dropped += 1
            return None
        text = " ".join(str(item.get("text") or "").split())
        return Claim(text, found)

    def claims(key: str) -> list[Claim]:
        items = data.get(key) or []
        if not isinstance(items, list):
            return []
        out = [c for c in (claim(i) for i in items[:6]) if c is not None]
        unique: dict[str, Claim] = {}
        for c in out:
            unique.setdefault(c.sentence.text, c)
        return list(unique.values())

    verdict = data.get("verdict")
    verdict_claim = None
    if verdict in _VERDICTS:
        verdict_claim = claim(
            {"quote": data.get("verdict_quote"), "passage": data.get("verdict_passage")}
        )
    return Synthesis(
        verdict=str(verdict) if verdict_claim else None,
        verdict_claim=verdict_claim,
        conditions=claims("conditions"),
        claims=claims("claims"),
        dropped=dropped,
    )


def _find(quote: object, number: object, passages: list[Passage]) -> Sentence | None:
    if not isinstance(quote, str) or isinstance(number, bool) or not isinstance(number, int):
        return None
    if not 1 <= number <= len(passages):
        return None
    chunk = passages[number - 1].chunk
    span = locate(quote, chunk.text)
    if span is None:
        return None
    return Sentence(number - 1, chunk, span[0], span[1], 1.0, 1.0)
