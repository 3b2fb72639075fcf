"""Logging for the entry points (CLI, ingest, eval, app); library code only logs."""

from __future__ import annotations

import logging


def configure(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # bm25s sets its own logger to DEBUG; keep third-party chatter out of the output.
    for name in ("bm25s", "chromadb", "httpx", "sentence_transformers"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
