"""Feedback: append-only JSONL in the data folder, exported as gold lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bronwijzer.errors import BronwijzerError
from bronwijzer.feedback import FeedbackLog, answer_key, export_gold, latest
from bronwijzer.settings import Settings
from bronwijzer.types import Answer, Citation

GOLD_KEYS = {"id", "question", "lang", "type", "answer", "gold", "notes"}


def citation(number: int, doc: str, quote: str) -> Citation:
    return Citation(
        number=number,
        doc_id=doc,
        title=f"Titel {doc}",
        date="2024-01-01",
        kind="Kamerbrief",
        status="definitief",
        page=2,
        section="Eigen risico",
        quote=quote,
        passage=f"Inleiding. {quote} Slot.",
        chunk_id=f"chunk-{number}",
    )


def answered(question: str, *cites: Citation) -> Answer:
    return Answer(
        question=question,
        text="Volgens de documenten: ...",
        abstained=False,
        citations=list(cites),
        settings_hash="abc123",
        generation="g1",
    )


def abstention(question: str) -> Answer:
    return Answer(question=question, text="Dit staat niet in de documenten.", abstained=True)


@pytest.fixture()
def log(tmp_path: Path) -> FeedbackLog:
    return FeedbackLog(Settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data"))


def test_records_are_appended_with_what_reproduces_the_answer(log: FeedbackLog) -> None:
    answer = answered(
        "Geldt het eigen risico?", citation(1, "a.txt", "Er geldt geen eigen risico.")
    )
    log.record(answer, helpful=True, comment="  klopt  precies ", asked="En het eigen risico?")
    log.record(abstention("Wat kost parkeren?"), helpful=False)

    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert log.path.parent.name == "data" and len(lines) == 2
    first = json.loads(lines[0])
    assert first["helpful"] is True
    assert first["comment"] == "klopt precies"
    assert first["question"] == "Geldt het eigen risico?"
    assert first["asked"] == "En het eigen risico?"
    assert first["settings_hash"] == "abc123"
    assert first["citations"] == [
        {"doc": "a.txt", "chunk_id": "chunk-1", "page": 2, "quote": "Er geldt geen eigen risico."}
    ]
    assert first["time"].endswith("+00:00")
    assert [r.helpful for r in log.records()] == [True, False]


def test_a_later_verdict_on_the_same_answer_wins(log: FeedbackLog) -> None:
    answer = answered("Vraag?", citation(1, "a.txt", "Zin een."))
    other = answered("Andere vraag?", citation(1, "b.txt", "Zin twee."))
    log.record(answer, helpful=True)
    log.record(other, helpful=True)
    log.record(answer, helpful=False, comment="toch niet")
    current = latest(log.records())
    assert [(r.answer_id, r.helpful) for r in current] == [
        (answer_key(other), True),
        (answer_key(answer), False),
    ]
    assert len(log.records()) == 3  # nothing rewritten in place


def test_gold_export_has_the_eval_format(log: FeedbackLog) -> None:
    two_docs = answered(
        "Wie betaalt de afstemming?",
        citation(1, "a.txt", "De zorgverzekeraar betaalt."),
        citation(2, "b.pdf", "De gemeente betaalt niet."),
    )
    log.record(two_docs, helpful=True, comment="goed")
    log.record(abstention("Wat kost parkeren?"), helpful=True)
    log.record(answered("Fout antwoord?", citation(1, "a.txt", "Iets.")), helpful=False)

    rows = [json.loads(line) for line in export_gold(log.records()).splitlines()]
    assert len(rows) == 2  # an unhelpful verdict gives no gold line
    for row in rows:
        assert set(row) == GOLD_KEYS
        assert row["id"].startswith("fb-") and row["lang"] in {"nl", "en"}
    cross, unanswerable = rows
    assert cross["type"] == "cross-document"
    assert cross["gold"] == [
        {"doc": "a.txt", "quote": "De zorgverzekeraar betaalt."},
        {"doc": "b.pdf", "quote": "De gemeente betaalt niet."},
    ]
    assert "goed" in cross["notes"]
    assert unanswerable["type"] == "unanswerable" and unanswerable["gold"] == []


def test_an_unreadable_line_is_reported_with_its_number(log: FeedbackLog) -> None:
    log.record(answered("Vraag?"), helpful=True)
    with log.path.open("a", encoding="utf-8") as handle:
        handle.write("{kapot\n")
    with pytest.raises(BronwijzerError, match="regel 2"):
        log.records()


def test_no_feedback_yet_means_no_records(log: FeedbackLog) -> None:
    assert log.records() == []
    assert export_gold([]) == ""
