"""The corpus metadata file: per file name the title, date, publisher, kind and status."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bronwijzer.errors import BronwijzerError
from bronwijzer.index.state import write_atomically
from bronwijzer.settings import Settings
from bronwijzer.types import DocumentInfo

METADATA_KEYS = ("title", "date", "publisher", "kind", "status", "reference", "source_url")


def read_metadata_file(settings: Settings) -> tuple[dict[str, Any], bytes | None]:
    """The metadata file's object and its bytes as read; ({}, None) when there is none."""
    path = settings.corpus_dir / settings.metadata_file
    if not path.exists():
        return {}, None
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BronwijzerError(f"{path}: geen geldige JSON ({exc}). Herstel het bestand.") from exc
    if not isinstance(data, dict):
        raise BronwijzerError(f"{path}: verwacht een object met per bestandsnaam de metadata.")
    return data, raw


def read_metadata(settings: Settings) -> dict[str, dict[str, Any]]:
    """Per file name its metadata; entries that are not an object are left out."""
    data, _ = read_metadata_file(settings)
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def write_metadata(settings: Settings, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomically(settings.corpus_dir / settings.metadata_file, text.encode("utf-8"))


def clean_metadata(metadata: Mapping[str, Any] | None) -> dict[str, str]:
    """The known metadata fields as trimmed strings; empty fields are left out."""
    values = {key: " ".join(str((metadata or {}).get(key) or "").split()) for key in METADATA_KEYS}
    return {key: value[:500] for key, value in values.items() if value}


def document_info(path: Path, metadata: dict[str, dict[str, Any]]) -> DocumentInfo:
    """The document's metadata; its title falls back to the file name."""
    meta = metadata.get(path.name, {})
    values = {key: str(meta.get(key, "") or "") for key in METADATA_KEYS}
    values["title"] = values["title"] or path.stem.replace("-", " ").replace("_", " ")
    return DocumentInfo(doc_id=path.name, **values)
