"""What a generation is, how it is named and built, and how the manifest records it.

The manifest is one small collection whose metadata points at the active generation and
the one it replaced (the backup); switching is one metadata update, atomic in Chroma.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateCollectionConfiguration
from chromadb.errors import ChromaError

from bronwijzer.settings import IndexSettings

MANIFEST_SUFFIX = "_manifest"
GENERATION_MARK = "_g"


@dataclass(frozen=True)
class Generation:
    """One complete, immutable version of the index."""

    name: str
    embed_model: str
    created: float
    count: int | None = None  # rows when it was activated; None in manifests from before
    previous: str = ""  # the generation it replaced, kept as the backup


def new_generation_name(prefix: str) -> str:
    return f"{prefix}{GENERATION_MARK}{time.time_ns()}"


def hnsw_configuration(index: IndexSettings) -> CreateCollectionConfiguration:
    """The HNSW graph of a new generation's collection (see IndexSettings)."""
    return {
        "hnsw": {
            "space": index.hnsw_space,
            "max_neighbors": index.hnsw_m,
            "ef_construction": index.hnsw_construction_ef,
            "ef_search": index.hnsw_search_ef,
        }
    }


def active_from(meta: dict[str, Any]) -> Generation | None:
    """The active generation the manifest's metadata points at, if any."""
    name = meta.get("active")
    if not name:
        return None
    return Generation(
        name=str(name),
        embed_model=str(meta.get("embed_model", "")),
        created=float(meta.get("created", 0.0)),
        count=int(meta["count"]) if "count" in meta else None,
        previous=str(meta.get("previous", "")),
    )


def previous_from(meta: dict[str, Any]) -> Generation | None:
    """The generation the active one replaced, as the manifest recorded it."""
    name = str(meta.get("previous", ""))
    if not name:
        return None
    return Generation(
        name=name,
        embed_model=str(meta.get("previous_embed_model", "")),
        created=float(meta.get("previous_created", 0.0)),
        count=int(meta["previous_count"]) if "previous_count" in meta else None,
    )


def pointer(
    name: str, embed_model: str, count: int, previous: Generation | None
) -> dict[str, str | int | float]:
    """Manifest metadata that makes ``name`` (with ``count`` rows) the active generation."""
    meta: dict[str, str | int | float] = {
        "active": name,
        "embed_model": embed_model,
        "created": time.time(),
        "count": count,
        "previous": previous.name if previous else "",
    }
    if previous is not None:
        meta["previous_embed_model"] = previous.embed_model
        meta["previous_created"] = previous.created
        if previous.count is not None:
            meta["previous_count"] = previous.count
    return meta


def damage(client: ClientAPI, generation: Generation) -> str | None:
    """What is wrong with a generation's collection, or None when it reads back whole.

    Chroma's on-disk HNSW files can be left broken by a killed process; that shows up
    as an error on opening, counting or querying the collection, or as missing rows.
    """
    try:
        collection = client.get_collection(generation.name, embedding_function=None)
        count = collection.count()
        if generation.count is not None and count != generation.count:
            return f"{count} van de {generation.count} chunks gevonden"
        if count:
            probe = collection.get(limit=1, include=["embeddings"])
            vectors = probe["embeddings"]
            if vectors is None or len(vectors) == 0:
                return "geen vectoren opgeslagen"
            vector: Sequence[float] = [float(x) for x in vectors[0]]
            collection.query(query_embeddings=[vector], n_results=1)
    except ChromaError as exc:  # Chroma reports damaged files as its own errors
        return f"{type(exc).__name__}: {exc}"
    return None
