"""The scale bench's synthetic corpus and its approximate embedding (no timings here)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from bronwijzer.settings import Settings
from eval.synthetic import SentenceMeanEmbedding, real_sentences, write_corpus
from ingest.metadata import document_info, read_metadata
from ingest.sync import chunk_file, corpus_files

REAL_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


class HashEmbedding(BaseEmbedding):
    """A tiny deterministic stand-in for the model: a unit vector from the text's hash."""

    def _vector(self, text: str) -> list[float]:
        raw = np.frombuffer(hashlib.sha256(text.encode()).digest(), dtype=np.uint8)
        vector = raw.astype(float) - 127.5
        return list(vector / np.linalg.norm(vector))

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)


def _chunks(folder: Path) -> list[str]:
    settings = Settings(corpus_dir=folder)
    metadata = read_metadata(settings)
    return [
        chunk.text
        for path in corpus_files(settings)
        for chunk in chunk_file(path, document_info(path, metadata), settings)
    ]


def test_synthetic_corpus_is_seeded_and_one_paragraph_is_one_chunk(tmp_path: Path) -> None:
    pool = real_sentences(Settings(corpus_dir=REAL_CORPUS))
    assert len(pool) > 300 and all(s.endswith(".") for s in pool)
    first = write_corpus(tmp_path / "a", pool, 120, 3, seed=7)
    again = write_corpus(tmp_path / "b", pool, 120, 3, seed=7)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["metadata.json", "synth-00000.txt", "synth-00001.txt", "synth-00002.txt"]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first.needles == again.needles

    chunks = _chunks(tmp_path / "a")
    assert len(chunks) == 120  # the real chunker keeps each paragraph whole
    for needle in first.needles:
        holding = [c for c in chunks if needle.sentence in " ".join(c.split())]
        assert len(holding) == 1
        assert needle.question not in needle.sentence
        named = [w for w in re.findall(r"\w+", needle.question)[1:] if w.istitle()]
        assert named and named[0] in needle.sentence  # the question names the programme


def test_bulk_chunks_get_the_mean_of_their_sentence_vectors(tmp_path: Path) -> None:
    pool = real_sentences(Settings(corpus_dir=REAL_CORPUS))
    model = HashEmbedding(model_name="hash")
    vectors = np.array([model.get_text_embedding(s) for s in pool])
    corpus = write_corpus(tmp_path, pool, 60, 2, seed=1)
    embedder = SentenceMeanEmbedding(model, vectors, corpus, needles="real")
    chunks = _chunks(tmp_path)
    got = np.array(embedder.get_text_embedding_batch(chunks))
    keys = [" ".join(c.split()) for c in chunks]

    bulk = next(i for i, k in enumerate(keys) if k not in corpus.needle_paragraphs)
    mean = vectors[list(corpus.paragraphs[keys[bulk]])].mean(axis=0)
    assert np.allclose(got[bulk], mean / np.linalg.norm(mean))
    needle = next(i for i, k in enumerate(keys) if k in corpus.needle_paragraphs)
    assert np.allclose(got[needle], model.get_text_embedding(chunks[needle]))
    assert embedder.counts["real"] == 2 and embedder.counts["approximated"] == 58

    # needles="mean": the needle passage is averaged like the bulk, its new sentence embedded.
    like_bulk = SentenceMeanEmbedding(model, vectors, corpus, needles="mean")
    fillers = [j for j in corpus.paragraphs[keys[needle]] if j >= 0]
    total = vectors[fillers].sum(axis=0) + model.get_text_embedding(
        corpus.needle_paragraphs[keys[needle]]
    )
    vector = like_bulk.get_text_embedding(chunks[needle])
    assert np.allclose(vector, total / np.linalg.norm(total))
