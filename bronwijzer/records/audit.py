"""Audit log: who asked what, who changed which document and who logged in, as JSONL.

One JSON object a line in ``audit.jsonl`` in the data folder, rotated by size
(``audit.jsonl.1`` … ``.N``, the oldest dropped; see logfiles). Lines are only ever
appended. What is written is the question as ``logs.question_storage`` says (masked by
default; see redact), the cited document ids and content hashes: never a password, token
or the settings' secrets.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from bronwijzer.records.logfiles import RotatingJsonl, size_cap
from bronwijzer.records.redact import QuestionStorage
from bronwijzer.settings import Settings
from bronwijzer.types import Answer

AUDIT_FILE = "audit.jsonl"
MAX_ACTOR_CHARS = 80
# ok: logged in; wrong: a wrong password; refused: not even checked (the throttle's wait);
# logout: logged out.
LoginOutcome = Literal["ok", "wrong", "refused", "logout"]


def content_hash(data: bytes) -> str:
    """SHA-256 of a document's bytes, the identity of one version of it."""
    return hashlib.sha256(data).hexdigest()


def _actor_name(actor: str | None) -> str | None:
    """A person's name as one short printable line; None when there is none."""
    if actor is None:
        return None
    name = " ".join("".join(c for c in actor if c.isprintable()).split())[:MAX_ACTOR_CHARS]
    return name or None


def _named(who: str, name: str | None) -> str:
    """'beheerder (sessie ab12)' and 'anna' give 'beheerder: anna (sessie ab12)'."""
    role, sep, rest = who.partition(" (")
    if not name or name == role:
        return who
    return f"{role}: {name}{sep}{rest}"


class AuditLog:
    """Appends audit records to the data folder; safe to share between threads."""

    def __init__(
        self, settings: Settings, max_bytes: int | None = None, backups: int | None = None
    ) -> None:
        self.path: Path = settings.data_dir / AUDIT_FILE
        self._file = RotatingJsonl(
            self.path,
            max_bytes=size_cap(settings) if max_bytes is None else max_bytes,
            backups=settings.logs.backups if backups is None else backups,
        )
        self._storage = QuestionStorage(settings)

    def _append(self, event: str, who: str, actor: str | None, fields: dict[str, Any]) -> None:
        name = _actor_name(actor)
        record = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "event": event,
            "who": _named(who, name),
            **({"actor": name} if name else {}),
            **fields,
        }
        self._file.append(record)

    def question(
        self, who: str, answer: Answer, asked: str | None = None, *, actor: str | None = None
    ) -> None:
        """One answered question: what was asked, which documents were cited, abstained.

        ``who`` is the role or session ('sessie …', 'cli user'); ``actor`` a person's name
        when one is known: 'beheerder (sessie ab12)' with 'anna' is recorded as
        'beheerder: anna (sessie ab12)', and the name also as ``actor``, to filter on.
        """
        cited = list(dict.fromkeys(c.doc_id for c in answer.citations))
        fields: dict[str, Any] = {
            "question": self._storage.question(answer.question),
            "question_storage": self._storage.mode,
            "cited_doc_ids": cited,
            "abstained": answer.abstained,
            "generation": answer.generation,
            "settings_hash": answer.settings_hash,
        }
        if asked is not None and asked != answer.question:
            fields["asked"] = self._storage.question(asked)
        self._append("question", who, actor, fields)

    def document_change(
        self,
        who: str,
        action: str,
        document: str,
        sha256: str,
        error: str | None = None,
        *,
        actor: str | None = None,
        **details: Any,
    ) -> None:
        """One add, replace, delete or re-index, whether it succeeded or was refused.

        ``actor``: the admin's name when known ('beheerder: anna'), as in ``question``.
        """
        fields: dict[str, Any] = {
            "action": action,
            "document": document,
            "sha256": sha256,
            "ok": error is None,
            **details,
        }
        if error is not None:
            fields["error"] = error
        self._append("document", who, actor, fields)

    def login(
        self, who: str, outcome: LoginOutcome, *, actor: str | None = None, **details: Any
    ) -> None:
        """One admin login attempt or logout; never the password given.

        ``actor``: the admin's name once known; ``details`` e.g. the failures counted so far.
        """
        self._append("login", who, actor, {"outcome": outcome, **details})

    def files(self) -> list[Path]:
        """The rotated files, oldest first, then the current one."""
        return self._file.files()

    def records(self) -> list[dict[str, Any]]:
        """The records of the current and the rotated files, oldest first."""
        return [row for _, row in self._file.rows()]

    def close(self) -> None:
        """Nothing stays open between records; kept for callers that close the log."""
