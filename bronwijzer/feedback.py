"""Reader feedback on answers: append-only JSONL in the data folder, exportable as gold lines.

Every click appends a record; a later record about the same answer supersedes an earlier
one (a reader who changes 'nuttig' into 'niet nuttig' changed their mind), so nothing is
ever rewritten in place. The export turns confirmed answers into lines in the gold format
of shared/eval/README.md, for a person to review before they join an eval set.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from .errors import BronwijzerError
from .settings import Settings
from .types import Answer

FEEDBACK_FILE = "feedback.jsonl"


def answer_key(answer: Answer) -> str:
    """Stable id of one answer: the same question, index and settings give the same key."""
    raw = "\x00".join((answer.question, answer.text, answer.generation, answer.settings_hash))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


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

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> FeedbackRecord:
        cited = [CitedSource(**c) for c in row.get("citations", [])]
        return cls(**{**row, "citations": cited})


class FeedbackLog:
    """The feedback file of one data folder; appends are serialised within the process."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.data_dir / FEEDBACK_FILE
        self._lock = threading.Lock()

    def record(
        self, answer: Answer, helpful: bool, comment: str = "", asked: str | None = None
    ) -> FeedbackRecord:
        """Append one verdict on an answer and return what was stored."""
        entry = FeedbackRecord(
            answer_id=answer_key(answer),
            time=datetime.now(UTC).isoformat(timespec="seconds"),
            helpful=helpful,
            comment=" ".join(comment.split())[:2000],
            question=answer.question,
            asked=asked if asked is not None else answer.question,
            answer=answer.text,
            abstained=answer.abstained,
            language=answer.language,
            citations=[
                CitedSource(c.doc_id, c.chunk_id, c.page, c.quote) for c in answer.citations
            ],
            settings_hash=answer.settings_hash,
            generation=answer.generation,
        )
        line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write of one line in append mode: concurrent writers do not interleave.
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        return entry

    def records(self) -> list[FeedbackRecord]:
        """All records in the order they were written."""
        if not self.path.exists():
            return []
        rows = []
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(FeedbackRecord.from_dict(json.loads(line)))
                except (json.JSONDecodeError, TypeError) as exc:
                    raise BronwijzerError(
                        f"{self.path}, regel {number}: onleesbare feedback ({exc})."
                    ) from exc
        return rows


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
    so it cannot become a gold line without a person writing the right quote.
    """
    if not record.helpful:
        return None
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
