"""Which sentences an answer shows, and the paragraph each is shown in.

A sentence is shown inside the words around it in its paragraph (`Shown.context`), so the
sentence after one that restates the question, and the conditions beside it, are seen too.
The decision's sentences come before a proposal's; each paragraph is shown once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bronwijzer.retrieval.sentences import Sentence
from bronwijzer.text.domain import Domain
from bronwijzer.text.normalize import sentence_spans

# Words of the paragraph shown around a quoted sentence (the sentence itself always whole)
CONTEXT_WORDS = 70


@dataclass(frozen=True)
class Shown:
    """A quoted sentence with the stretch of its paragraph shown around it."""

    sentence: Sentence
    context_start: int
    context_end: int
    role: str  # 'lead', 'condition', 'support' or 'proposal'

    @property
    def context(self) -> str:
        return self.sentence.chunk.text[self.context_start : self.context_end]

    def shares_context(self, other: Shown) -> bool:
        return (
            self.sentence.piece_id == other.sentence.piece_id
            and self.context_start < other.context_end
            and other.context_start < self.context_end
        )


def context_span(sentence: Sentence, words: int = CONTEXT_WORDS) -> tuple[int, int]:
    """The span of the sentence's paragraph shown with it: the sentence, then the sentences
    after it and before it in turn, while the whole stays within `words`."""
    text = sentence.chunk.text
    start = text.rfind("\n\n", 0, sentence.start)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", sentence.end)
    end = len(text) if end < 0 else end
    spans = [(a + start, b + start) for a, b in sentence_spans(text[start:end])]
    inside = [i for i, (a, b) in enumerate(spans) if a < sentence.end and b > sentence.start]
    if not inside:
        return sentence.start, sentence.end
    first, last = inside[0], inside[-1]
    lo, hi = min(sentence.start, spans[first][0]), max(sentence.end, spans[last][1])

    def size(a: int, b: int) -> int:
        return len(text[a:b].split())

    grew = True
    while grew:
        grew = False
        if last + 1 < len(spans) and size(lo, spans[last + 1][1]) <= words:
            last += 1
            hi = spans[last][1]
            grew = True
        if first > 0 and size(spans[first - 1][0], hi) <= words:
            first -= 1
            lo = spans[first][0]
            grew = True
    return lo, hi


def show(sentence: Sentence, role: str) -> Shown:
    start, end = context_span(sentence)
    return Shown(sentence, start, end, role)


def is_proposal(sentence: Sentence, domain: Domain) -> bool:
    return domain.is_proposal(sentence.chunk.doc.status)


def lead_sentence(sentences: list[Sentence], domain: Domain, proposal_ok: bool) -> Sentence:
    """The sentence the answer opens with: the best one of a deciding document whenever one
    holds any of the question's terms; a proposal leads only where no decision speaks, or
    when the question asks about the proposal (`proposal_ok`)."""
    best = sentences[0]
    if proposal_ok or not is_proposal(best, domain):
        return best
    decided = [s for s in sentences if not is_proposal(s, domain)]
    if decided and decided[0].coverage >= SPEAKS_SHARE * best.coverage:
        return decided[0]
    return best


# A decision 'speaks' to the question when its best sentence holds this share of the
# key-term weight of the best sentence overall
SPEAKS_SHARE = 0.5


def supporting(
    sentences: list[Sentence],
    taken: list[Shown],
    domain: Domain,
    limit: int,
    proposals: int,
    min_share: float,
) -> list[Shown]:
    """Further sentences worth showing, best first: scoring at least `min_share` of the
    lead's score, from paragraphs not shown yet; at most `limit` of deciding documents and
    `proposals` of proposals."""
    if not taken:
        return []
    floor = min_share * taken[0].sentence.score
    out: list[Shown] = []
    counts = {"support": 0, "proposal": 0}
    caps = {"support": limit, "proposal": proposals}
    for sentence in sentences:
        if sentence.score < floor:
            break
        role = "proposal" if is_proposal(sentence, domain) else "support"
        if counts[role] >= caps[role]:
            continue
        shown = show(sentence, role)
        if any(shown.shares_context(t) for t in [*taken, *out]):
            continue
        out.append(shown)
        counts[role] += 1
    return out
