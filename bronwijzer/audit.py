"""Audit log: who asked what and who changed which document, as append-only JSONL.

One JSON object a line in ``audit.jsonl`` in the data folder, rotated by size with the
standard library's RotatingFileHandler (``audit.jsonl.1`` … ``.N``; the oldest is dropped).
Lines are only ever appended. What is written is the question, the cited document ids and
content hashes: never a password, token or the settings' secrets.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from .settings import Settings
from .types import Answer

AUDIT_FILE = "audit.jsonl"
MAX_BYTES = 5_000_000  # per file
BACKUPS = 5  # rotated files kept beside the current one


def content_hash(data: bytes) -> str:
    """SHA-256 of a document's bytes, the identity of one version of it."""
    return hashlib.sha256(data).hexdigest()


class AuditLog:
    """Appends audit records to the data folder; safe to share between threads."""

    def __init__(
        self, settings: Settings, max_bytes: int = MAX_BYTES, backups: int = BACKUPS
    ) -> None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.path: Path = settings.data_dir / AUDIT_FILE
        # The handler's lock serialises writers in this process; each record is one
        # write() of one line in append mode.
        self._handler = RotatingFileHandler(
            self.path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True
        )
        self._handler.setFormatter(logging.Formatter("%(message)s"))

    def _append(self, event: str, who: str, fields: dict[str, Any]) -> None:
        record = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "event": event,
            "who": who,
            **fields,
        }
        line = json.dumps(record, ensure_ascii=False)
        self._handler.handle(logging.makeLogRecord({"msg": line, "levelno": logging.INFO}))

    def question(self, who: str, answer: Answer, asked: str | None = None) -> None:
        """One answered question: what was asked, which documents were cited, abstained."""
        cited = list(dict.fromkeys(c.doc_id for c in answer.citations))
        fields: dict[str, Any] = {
            "question": answer.question,
            "cited_doc_ids": cited,
            "abstained": answer.abstained,
            "generation": answer.generation,
            "settings_hash": answer.settings_hash,
        }
        if asked is not None and asked != answer.question:
            fields["asked"] = asked
        self._append("question", who, fields)

    def document_change(
        self,
        who: str,
        action: str,
        document: str,
        sha256: str,
        error: str | None = None,
        **details: Any,
    ) -> None:
        """One add, replace, delete or re-index, whether it succeeded or was refused."""
        fields: dict[str, Any] = {
            "action": action,
            "document": document,
            "sha256": sha256,
            "ok": error is None,
            **details,
        }
        if error is not None:
            fields["error"] = error
        self._append("document", who, fields)

    def records(self) -> list[dict[str, Any]]:
        """The records in the current file (not the rotated ones), oldest first."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def close(self) -> None:
        self._handler.close()
