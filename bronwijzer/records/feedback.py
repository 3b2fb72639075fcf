"""Reader feedback on answers: append-only JSONL in the data folder, exportable as gold lines.

Every click appends a record; a later record about the same answer supersedes an earlier
one (a reader who changes 'nuttig' into 'niet nuttig' changed their mind), so nothing is
ever rewritten in place. The file is rotated by size like the audit log (``feedback.jsonl.1``
… ``.N``, see logfiles) and read back across the rotated files. Questions are stored as
``logs.question_storage`` says; comments and answer texts are masked unless it is
'verbatim' (see redact). The export turns confirmed answers into lines in the gold format
of shared/eval/README.md, for a person to review before they join an eval set.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bronwijzer.errors import BronwijzerError
from bronwijzer.records.logfiles import RotatingJsonl, size_cap
from bronwijzer.records.redact import QuestionStorage
from bronwijzer.settings import Settings
from bronwijzer.types import Answer

FEEDBACK_FILE = "feedback.jsonl"


def answer_key(answer: Answer, question: str | None = None, text: str | None = None) -> str:
    """Stable id of one answer: the same question, index and settings give the same key.

    ``question`` and ``text`` replace the answer's own when given: the stored (masked or
    hashed) forms, so that the id cannot be used to recover what was masked.
    """
    parts = (
        answer.question if question is None else question,
        answer.text if text is None else text,
        answer.generation,
        answer.settings_hash,
    )
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CitedSource:
    doc: str
    chunk_id: str
    page: int
    quote: str


@dataclass(frozen=True)
class FeedbackRecord:
    """One reader's verdict on one answer, with what is needed to reproduce it."""

    answer_id: str
    time: str  # ISO 8601, UTC
    helpful: bool
    comment: str
    question: str  # the standalone question that was answered
    asked: str  # the question as typed (differs for a rewritten follow-up)
    answer: str
    abstained: bool
    language: str
    citations: list[CitedSource] = field(default_factory=list)
    settings_hash: str = ""
    generation: str = ""
    question_storage: str = "verbatim"  # records from before the setting kept the text

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> FeedbackRecord:
        cited = [CitedSource(**c) for c in row.get("citations", [])]
        return cls(**{**row, "citations": cited})


class FeedbackLog:
    """The feedback file of one data folder; appends are serialised within the process."""

    def __init__(
        self, settings: Settings, max_bytes: int | None = None, backups: int | None = None
    ) -> None:
        self.path = settings.data_dir / FEEDBACK_FILE
        self._file = RotatingJsonl(
            self.path,
            max_bytes=size_cap(settings) if max_bytes is None else max_bytes,
            backups=settings.logs.backups if backups is None else backups,
        )
        self._storage = QuestionStorage(settings)

    def record(
        self, answer: Answer, helpful: bool, comment: str = "", asked: str | None = None
    ) -> FeedbackRecord:
        """Append one verdict on an answer and return what was stored."""
        question = self._storage.question(answer.question)
        text = self._storage.free_text(answer.text)
        entry = FeedbackRecord(
            answer_id=answer_key(answer, question, text),
            time=datetime.now(UTC).isoformat(timespec="seconds"),
            helpful=helpful,
            comment=self._storage.free_text(" ".join(comment.split())[:2000]),
            question=question,
            asked=question if asked is None else self._storage.question(asked),
            answer=text,
            abstained=answer.abstained,
            language=answer.language,
            citations=[
                CitedSource(c.doc_id, c.chunk_id, c.page, c.quote) for c in answer.citations
            ],
            settings_hash=answer.settings_hash,
            generation=answer.generation,
            question_storage=self._storage.mode,
        )
        self._file.append(asdict(entry))
        return entry

    def records(self) -> list[FeedbackRecord]:
        """All records, of the rotated files and the current one, in the order written."""
        rows = []
        for where, row in self._file.rows():
            try:
                rows.append(FeedbackRecord.from_dict(row))
            except TypeError as exc:
                raise BronwijzerError(f"{where}: onleesbare feedback ({exc}).") from exc
        return rows

    def files(self) -> list[Path]:
        """The rotated files, oldest first, then the current one (for a backup)."""
        return self._file.files()

    def jsonl(self) -> bytes:
        """All feedback as one JSONL download, rotated files included, oldest first."""
        return self._file.jsonl()


def latest(records: list[FeedbackRecord]) -> list[FeedbackRecord]:
    """The last verdict per answer, in order of the answers' first feedback."""
    last: dict[str, FeedbackRecord] = {}
    for record in records:
        last.pop(record.answer_id, None)  # re-inserted below: order by latest change
        last[record.answer_id] = record
    return list(last.values())


def to_gold(record: FeedbackRecord) -> dict[str, Any] | None:
    """A gold line (shared/eval/README.md) from a helpful verdict; None when unusable.

    A helpful answer makes its cited quotes the gold passages; a helpful abstention marks
    the question unanswerable. An unhelpful verdict says what is wrong, not what is right,
    so it cannot become a gold line without a person writing the right quote. A question
    stored as a hash gives no gold line either.
    """
    if not record.helpful or record.question_storage == "hashed":
        return None  # a hashed question has no text to ask an eval with
    docs = list(dict.fromkeys(c.doc for c in record.citations))
    if record.abstained:
        kind, gold = "unanswerable", []
    elif record.citations:
        kind = "cross-document" if len(docs) > 1 else "factual"
        gold = [{"doc": c.doc, "quote": c.quote} for c in record.citations]
    else:
        return None
    notes = f"Uit feedback van {record.time} (instellingen {record.settings_hash})"
    if record.comment:
        notes += f"; opmerking: {record.comment}"
    return {
        "id": f"fb-{record.answer_id}",
        "question": record.question,
        "lang": record.language,
        "type": kind,
        "answer": record.answer,
        "gold": gold,
        "notes": notes + ". Type en citaten nog nakijken.",
    }


def export_gold(records: list[FeedbackRecord]) -> str:
    """JSONL text with one gold line per answer whose latest verdict is helpful."""
    lines = [line for record in latest(records) if (line := to_gold(record)) is not None]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
