"""A deterministic synthetic corpus for the scale bench: real sentences, recombined.

Every paragraph is a seeded draw of whole sentences from the real documents in corpus/,
so the text has the vocabulary, length and repetitiveness of Dutch policy prose. Planted
among them are *needles*: one invented fact each (a made-up programme name with an
amount, a period, an organisation), with a question about it worded differently.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from bronwijzer.settings import Settings
from bronwijzer.text.normalize import sentence_spans
from ingest.metadata import document_info, read_metadata
from ingest.sync import chunk_file, corpus_files

CHUNKS_PER_DOCUMENT = 50
MIN_WORDS, MAX_WORDS = 80, 170  # one paragraph = one chunk (min_words 70, max_words 200)

_FIRST = ["Linde", "Eiken", "Berken", "Hazel", "Wilgen", "Vlier", "Esdoorn", "Meidoorn"]
_FIRST += ["Kievit", "Reiger", "Zwaluw", "Merel", "Lepel", "Kraan", "Otter", "Bever"]
_SECOND = ["waard", "hoven", "stede", "dal", "burcht", "lanen", "wold", "mere", "oord", "zande"]
_REGIONS = ["Twente", "Drenthe", "Zeeland", "de Achterhoek", "Zuid-Limburg", "West-Friesland"]
_REGIONS += ["de Betuwe", "het Gooi", "de Kempen", "Flevoland", "de Veluwe", "Oost-Groningen"]
_BUREAUS = ["Kwintessens", "Meridiaan", "Veldwerk Advies", "Panorama Onderzoek", "Dwarsdoorsnede"]
_INSURERS = ["Noordzorg", "De Zorgkring", "Polderpolis", "Kustverzekerd", "Rivierland Zorg"]
_MONTHS = ["januari", "maart", "april", "juni", "september", "oktober", "november"]
_TYPES = ["beleidsregel", "Kamerbrief", "advies", "verkenning", "circulaire"]

# (needle sentence, question, answer) templates; {name} is unique per needle.
_TEMPLATES = [
    (
        "Het samenwerkingsverband {name} in {region} krijgt vanaf {year} een jaarlijkse "
        "bijdrage van {amount} miljoen euro voor de afstemming van zorg voor kwetsbare ouderen.",
        "Hoeveel geld krijgt het samenwerkingsverband {name} per jaar voor de afstemming "
        "van ouderenzorg?",
        "{amount} miljoen euro",
    ),
    (
        "De proeftuin {name} in {region} wordt na {n} jaar geëvalueerd door onderzoeksbureau "
        "{bureau}.",
        "Welk onderzoeksbureau evalueert de proeftuin {name}?",
        "{bureau}",
    ),
    (
        "Voor de regeling {name} geldt een wachttermijn van {n} weken voordat zorgaanbieders "
        "de eerste declaratie mogen indienen.",
        "Hoe lang moeten zorgaanbieders bij de regeling {name} wachten met hun eerste declaratie?",
        "{n} weken",
    ),
    (
        "In het netwerk {name} werken {count} huisartsenpraktijken samen met de wijkverpleging "
        "in {region}.",
        "Hoeveel huisartsenpraktijken doen mee aan het netwerk {name}?",
        "{count}",
    ),
    (
        "Zorgverzekeraar {insurer} sluit met het zorgnetwerk {name} een contract voor {n} jaar "
        "over de wijkverpleging in {region}.",
        "Met welke zorgverzekeraar heeft het zorgnetwerk {name} een contract over wijkverpleging?",
        "{insurer}",
    ),
    (
        "De tijdelijke betaaltitel {name} vervalt op {day} {month} {year}, tenzij de minister "
        "de regeling verlengt.",
        "Wanneer vervalt de tijdelijke betaaltitel {name}?",
        "{day} {month} {year}",
    ),
    (
        "Met {name}-afstemming wordt bedoeld het vaste overleg van huisartsen, wijkverpleging "
        "en gemeente in {region} over een groep kwetsbare ouderen.",
        "Wat wordt bedoeld met {name}-afstemming?",
        "het vaste overleg van huisartsen, wijkverpleging en gemeente in {region}",
    ),
]


@dataclass(frozen=True)
class Needle:
    """A planted fact: the sentence in the corpus and the question that asks for it."""

    sentence: str
    question: str
    answer: str
    doc_id: str


@dataclass(frozen=True)
class SyntheticCorpus:
    folder: Path
    paragraphs: dict[str, tuple[int, ...]]  # paragraph text -> indices of its sentences
    needles: list[Needle]
    needle_paragraphs: dict[str, str]  # paragraph text -> the needle sentence in it


def real_sentences(settings: Settings) -> list[str]:
    """Whole sentences (≥ 8 words, ending in a full stop) of the real corpus, sorted."""
    metadata = read_metadata(settings)
    found: set[str] = set()
    for path in corpus_files(settings):
        for chunk in chunk_file(path, document_info(path, metadata), settings):
            for start, end in sentence_spans(chunk.text):
                sentence = " ".join(chunk.text[start:end].split())
                if len(sentence.split()) >= 8 and sentence.endswith("."):
                    found.add(sentence)
    return sorted(found)


def _needles(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    names = [a + b for a in _FIRST for b in _SECOND]
    rng.shuffle(names)
    out = []
    for i in range(n):
        sentence, question, answer = _TEMPLATES[i % len(_TEMPLATES)]
        slots = {
            "name": names[i],
            "region": rng.choice(_REGIONS),
            "bureau": rng.choice(_BUREAUS),
            "insurer": rng.choice(_INSURERS),
            "year": str(rng.randint(2026, 2031)),
            "amount": f"{rng.randint(2, 19)},{rng.randint(1, 9)}",
            "n": str(rng.randint(2, 12)),
            "count": str(rng.randint(14, 96)),
            "day": str(rng.randint(1, 28)),
            "month": rng.choice(_MONTHS),
        }
        out.append((sentence.format(**slots), question.format(**slots), answer.format(**slots)))
    return out


def _paragraph(pool: list[str], rng: random.Random, extra: str | None = None) -> list[int]:
    """Indices of sentences drawn for one paragraph (-1 marks the needle sentence)."""
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    chosen: list[int] = [-1] if extra else []
    words = len(extra.split()) if extra else 0
    while words < target:
        index = rng.randrange(len(pool))
        size = len(pool[index].split())
        if index in chosen or (words >= MIN_WORDS and words + size > MAX_WORDS):
            if words >= MIN_WORDS:
                break
            continue
        chosen.append(index)
        words += size
    rng.shuffle(chosen)
    return chosen


def write_corpus(
    folder: Path, pool: list[str], n_chunks: int, n_needles: int, seed: int
) -> SyntheticCorpus:
    """Write ~n_chunks paragraphs as text files (50 a document) plus metadata.json."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_docs = max(1, -(-n_chunks // CHUNKS_PER_DOCUMENT))
    planted = _needles(n_needles, rng)
    # Needle i goes to document i * n_docs // n_needles, at a random paragraph.
    at: dict[tuple[int, int], int] = {}
    for i in range(n_needles):
        doc = i * n_docs // n_needles
        size = min(CHUNKS_PER_DOCUMENT, n_chunks - doc * CHUNKS_PER_DOCUMENT)
        while True:
            spot = (doc, rng.randrange(size))
            if spot not in at:
                at[spot] = i
                break
    paragraphs: dict[str, tuple[int, ...]] = {}
    needles: list[Needle] = []
    needle_paragraphs: dict[str, str] = {}
    metadata: dict[str, dict[str, str]] = {}
    for doc in range(n_docs):
        doc_id = f"synth-{doc:05d}.txt"
        kind = rng.choice(_TYPES)
        metadata[doc_id] = {
            "title": f"Synthetisch document {doc:05d} ({kind})",
            "date": f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "kind": kind,
            "status": "synthetisch",
            "publisher": "eval/synthetic.py",
        }
        texts = []
        size = min(CHUNKS_PER_DOCUMENT, n_chunks - doc * CHUNKS_PER_DOCUMENT)
        for position in range(size):
            needle = at.get((doc, position))
            extra = planted[needle][0] if needle is not None else None
            indices = _paragraph(pool, rng, extra)
            text = " ".join(extra if i == -1 and extra else pool[i] for i in indices)
            paragraphs[text] = tuple(indices)
            if needle is not None:
                sentence, question, answer = planted[needle]
                needles.append(Needle(sentence, question, answer, doc_id))
                needle_paragraphs[text] = sentence
            texts.append(text)
        (folder / doc_id).write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=1), encoding="utf-8")
    needles.sort(key=lambda n: n.doc_id)
    return SyntheticCorpus(folder, paragraphs, needles, needle_paragraphs)


class SentenceMeanEmbedding(BaseEmbedding):
    """The real model, except for known synthetic paragraphs: those get the normalised mean
    of their sentences' real vectors (each corpus sentence embedded once, up front).

    Needle passages get the real model on the whole passage (``needles="real"``), or the
    same mean, with the needle sentence embedded by the real model (``needles="mean"``).
    Any other text goes to the real model.
    """

    _real: BaseEmbedding = PrivateAttr()
    _vectors: Any = PrivateAttr()
    _paragraphs: dict[str, tuple[int, ...]] = PrivateAttr()
    _needle_paragraphs: dict[str, str] = PrivateAttr()
    _needles: str = PrivateAttr()
    _counts: dict[str, float] = PrivateAttr()

    def __init__(
        self,
        real: BaseEmbedding,
        sentence_vectors: np.ndarray,
        corpus: SyntheticCorpus,
        needles: str = "real",
        **kwargs: Any,
    ) -> None:
        super().__init__(model_name=f"sentence-mean({real.model_name})", **kwargs)
        self._real = real
        self._vectors = sentence_vectors
        self._paragraphs = corpus.paragraphs
        self._needle_paragraphs = corpus.needle_paragraphs
        self._needles = needles
        self._counts = {"approximated": 0, "real": 0, "real_s": 0.0, "approximate_s": 0.0}

    @property
    def counts(self) -> dict[str, float]:
        """Texts approximated and texts embedded for real, and the seconds each took."""
        return self._counts

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._real.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        out: list[list[float]] = [[] for _ in texts]
        unknown: list[int] = []
        for i, text in enumerate(texts):
            key = " ".join(text.split())
            indices = self._paragraphs.get(key)
            needle = self._needle_paragraphs.get(key)
            if indices is None or (needle and self._needles == "real"):
                unknown.append(i)
                continue
            total = self._vectors[[j for j in indices if j >= 0]].sum(axis=0)
            if needle:
                total = total + np.array(self._real.get_text_embedding(needle))
            out[i] = (total / np.linalg.norm(total)).tolist()
        self._counts["approximated"] += len(texts) - len(unknown)
        self._counts["approximate_s"] += time.perf_counter() - started
        if unknown:
            started = time.perf_counter()
            vectors = self._real.get_text_embedding_batch([texts[i] for i in unknown])
            for i, vector in zip(unknown, vectors, strict=True):
                out[i] = vector
            self._counts["real"] += len(unknown)
            self._counts["real_s"] += time.perf_counter() - started
        return out
