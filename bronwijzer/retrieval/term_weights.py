"""How much a word says: inverse document frequency of folded stems over the indexed chunks,
and the forms a question's words take in the documents (compounds, separable verbs)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from bronwijzer.text.normalize import WORD, FoldingStemmer, content_terms, stopwords
from bronwijzer.types import Chunk

# Particles of Dutch separable verbs ('stelt … vast', 'voert … uit', 'stemt … af')
_PARTICLES = frozenset(
    {"aan", "af", "bij", "door", "in", "mee", "na", "om", "op", "over", "terug", "toe", "uit"}
    | {"vast", "voor", "weg", "samen", "vrij", "tegen", "neer", "binnen"}
)
_VOWELS = "aeiouy"


def idf(document_frequency: int, documents: int) -> float:
    """Inverse document frequency (the BM25 form): high for a rare word, near 0 for one that
    nearly every document holds."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def _verb_root(verb: str) -> str:
    """'stemmen' -> 'stem', 'voeren' -> 'voer', 'stelt' -> 'stel'."""
    if verb.endswith("en") and len(verb) > 4:
        root = verb[:-2]
        if root[-1] == root[-2] and root[-1] not in _VOWELS:
            root = root[:-1]
        return root
    if verb.endswith("t") and len(verb) > 3:
        return verb[:-1]
    return verb


def _spelled_stems(root: str) -> set[str]:
    """The root as Dutch spelling writes it before '-en': 'stel' -> 'stell', 'maak' -> 'mak'."""
    stems = {root}
    if len(root) > 2 and root[-1] not in _VOWELS and root[-2] in _VOWELS:
        if root[-3] not in _VOWELS:
            stems.add(root + root[-1])
        elif len(root) > 3 and root[-3] == root[-2]:
            stems.add(root[:-2] + root[-1])
    return stems


def _joined_forms(particle: str, verb: str) -> list[str]:
    """Forms of a split verb written as one word: infinitive, participle, noun in -ing."""
    root = _verb_root(verb)
    stems = sorted(_spelled_stems(root))
    forms = [particle + stem + suffix for stem in stems for suffix in ("en", "ing")]
    return forms + [particle + "ge" + root + end for end in ("d", "t")] + [particle + root + "t"]


class TermWeights:
    """Inverse document frequency of folded stems over the indexed chunks."""

    def __init__(self, chunks: Iterable[Chunk], stemmer: FoldingStemmer) -> None:
        self.stemmer = stemmer
        df: Counter[str] = Counter()
        n = 0
        for chunk in chunks:
            n += 1
            df.update(set(content_terms(chunk.text, stemmer)))
        self.n = max(n, 1)
        self.df = df

    def idf(self, term: str) -> float:
        return idf(self.df.get(term, 0), self.n)

    def compound_parts(self, text: str) -> list[str]:
        """Words of the text unknown to the index, split into two known words where possible.

        Dutch glues words together ('groepsafstemming', 'samenwerkingskosten'); a question's
        compound is often absent from the documents while its parts are there.
        """
        parts: list[str] = []
        for word in WORD.findall(text.lower()):
            if len(word) < 8 or self.stemmer.stem(word) in self.df:
                continue
            split = self._best_split(word)
            if split:
                parts += split
        return parts

    def _best_split(self, word: str) -> list[str]:
        """The two known words a compound is made of: the split with the longest shorter
        part wins; a linking 's' or 'e' may end the first part. [] when none is known."""
        best: tuple[int, str, str] | None = None
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if self.stemmer.stem(right) not in self.df:
                continue
            lefts = [left, left[:-1]] if left.endswith(("s", "e")) and cut > 4 else [left]
            for first in lefts:
                if self.stemmer.stem(first) in self.df:
                    candidate = (min(len(first), len(right)), first, right)
                    best = max(best, candidate) if best else candidate
        return [best[1], best[2]] if best else []

    def separable_verbs(self, text: str) -> list[str]:
        """Separable verbs of the text joined as the documents write them, where the index
        knows the joined word: 'stelt … vast' → 'vaststellen', 'vastgesteld'.

        A Dutch main clause splits the verb from its particle; documents mostly use the
        infinitive, participle or noun, one word ('vaststellen', 'uitgevoerd', 'afstemming').
        """
        words = WORD.findall(text.lower())
        particles = [w for w in words if w in _PARTICLES]
        found: dict[str, str] = {}  # stem -> the first form with it
        for particle in dict.fromkeys(particles):
            for verb in dict.fromkeys(words):
                if verb in _PARTICLES or len(verb) < 3 or verb in stopwords():
                    continue
                for form in _joined_forms(particle, verb):
                    stem = self.stemmer.stem(form)
                    if stem in self.df:
                        found.setdefault(stem, form)
        return list(found.values())

    def known(self, terms: Iterable[str]) -> list[str]:
        return [t for t in dict.fromkeys(terms) if t in self.df]

    def knows(self, word: str) -> bool:
        """Does an indexed passage use this word in some form: its stem, or its two parts
        as a compound?"""
        return self.stemmer.stem(word) in self.df or bool(self.compound_parts(word))

    def coverage(self, query_terms: list[str], text_terms: set[str]) -> float:
        """Share of the question's term weight that the text contains."""
        total = sum(self.idf(t) for t in query_terms)
        if total == 0:
            return 0.0
        return sum(self.idf(t) for t in query_terms if t in text_terms) / total

    def text_coverage(self, query_terms: list[str], text: str) -> float:
        """Share of the question's term weight that the words of a text hold."""
        return self.coverage(query_terms, set(content_terms(text, self.stemmer)))
