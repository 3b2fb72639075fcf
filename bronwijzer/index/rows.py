"""Reading a generation's rows from Chroma a page at a time: the one place that pages.

One get() of a large collection fails on a Chroma server ('too many SQL variables' beyond
some 30,000 rows), and a get() by ids binds one SQL variable per id. PAGE_ROWS keeps every
request well below that, and equal to what one add() may take (Chroma's max batch size is
over 5,000 rows embedded and on a server). Generations never change once written, so
offsets are stable between pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chromadb.api.models.Collection import Collection
from chromadb.api.types import GetResult, Include

PAGE_ROWS = 5_000


def pages(
    collection: Collection, include: Include, ids: list[str] | None = None
) -> Iterator[GetResult]:
    """The rows of ``collection`` (or those with ``ids``), PAGE_ROWS per get()."""
    if ids is not None:
        for start in range(0, len(ids), PAGE_ROWS):
            yield collection.get(ids=ids[start : start + PAGE_ROWS], include=include)
        return
    offset = 0
    while True:
        page = collection.get(include=include, limit=PAGE_ROWS, offset=offset)
        yield page
        if len(page["ids"]) < PAGE_ROWS:
            return
        offset += PAGE_ROWS


def read_rows(collection: Collection, include: list[str]) -> dict[str, list[Any]]:
    """All rows of a collection: 'ids' and each included field, in one list each."""
    rows: dict[str, list[Any]] = {"ids": [], **{field: [] for field in include}}
    for page in pages(collection, include):  # type: ignore[arg-type]
        rows["ids"].extend(page["ids"])
        for field in include:
            rows[field].extend(page[field] or [])  # type: ignore[literal-required]
    return rows


def copy_rows(source: Collection, target: Collection, ids: list[str]) -> None:
    """Copy rows with their stored embeddings: nothing is embedded again."""
    for page in pages(source, ["embeddings", "documents", "metadatas"], ids):
        if page["ids"]:
            target.add(
                ids=page["ids"],
                embeddings=page["embeddings"],
                documents=page["documents"],
                metadatas=page["metadatas"],
            )
