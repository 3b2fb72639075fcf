"""Feedback: append-only JSONL in the data folder, exported as gold lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bronwijzer.errors import BronwijzerError
from bronwijzer.records.feedback import FEEDBACK_FILE, FeedbackLog, answer_key, export_gold, latest
from bronwijzer.settings import LogSettings, Settings
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


BSN_QUESTION = "Ik ben 123 456 782 (jan@example.nl), krijg ik een pgb?"


def log_with(tmp_path: Path, **logs: object) -> FeedbackLog:
    settings = Settings(
        corpus_dir=tmp_path / "corpus",
        data_dir=tmp_path / "data",
        logs=LogSettings.model_validate(logs),
    )
    return FeedbackLog(settings)


def test_a_bsn_and_an_email_are_masked_in_question_comment_and_id(tmp_path: Path) -> None:
    log = log_with(tmp_path)
    answer = answered(BSN_QUESTION, citation(1, "a.txt", "Een pgb is een budget."))
    log.record(answer, helpful=True, comment="bel me: 06-12345678", asked="En 1234.56.782?")
    raw = log.path.read_text(encoding="utf-8")
    for secret in ("123 456 782", "jan@", "12345678", "56.782"):
        assert secret not in raw
    [record] = log.records()
    assert record.question == "Ik ben [BSN] ([e-mail]), krijg ik een pgb?"
    assert record.asked == "En [BSN]?" and record.comment == "bel me: [telefoon]"
    assert record.question_storage == "redacted"
    # The id is taken over what was stored, so it cannot be used to guess the BSN.
    assert record.answer_id != answer_key(answer)
    assert record.answer_id == log.record(answer, helpful=False).answer_id  # still stable
    [gold] = [json.loads(line) for line in export_gold(log.records()[:1]).splitlines()]
    assert gold["question"] == record.question


def test_hashed_feedback_keeps_no_question_text_and_gives_no_gold(tmp_path: Path) -> None:
    log = log_with(tmp_path, question_storage="hashed")
    first = log.record(answered(BSN_QUESTION, citation(1, "a.txt", "Zin.")), helpful=True)
    again = log.record(answered(BSN_QUESTION, citation(1, "a.txt", "Zin.")), helpful=True)
    other = log.record(answered("Wat kost een pgb?", citation(1, "a.txt", "Zin.")), helpful=True)
    raw = log.path.read_text(encoding="utf-8")
    assert "123 456 782" not in raw and "pgb" not in raw and "jan@" not in raw
    assert first.question == again.question == first.asked != other.question
    assert first.answer_id == again.answer_id != other.answer_id
    assert export_gold(log.records()) == ""  # a hash is no question to put in an eval set


def test_verbatim_feedback_keeps_the_question(tmp_path: Path) -> None:
    log = log_with(tmp_path, question_storage="verbatim")
    answer = answered(BSN_QUESTION)
    stored = log.record(answer, helpful=True, comment="jan@example.nl")
    assert stored.question == BSN_QUESTION and stored.comment == "jan@example.nl"
    assert stored.answer_id == answer_key(answer)


def test_older_records_without_a_storage_field_still_read(log: FeedbackLog) -> None:
    log.record(answered("Vraag?"), helpful=True)
    row = json.loads(log.path.read_text(encoding="utf-8"))
    del row["question_storage"]
    log.path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    [record] = log.records()
    assert record.question_storage == "verbatim" and record.question == "Vraag?"


def test_feedback_rotates_and_is_read_back_across_the_files(tmp_path: Path) -> None:
    log = log_with(tmp_path, max_mb=0.003, backups=2)  # 3,000 bytes a file
    for i in range(80):
        log.record(answered(f"Vraag {i}?", citation(1, "a.txt", "Zin.")), helpful=i % 2 == 0)
    data = log.path.parent
    names = sorted(p.name for p in data.iterdir() if p.name.startswith(FEEDBACK_FILE))
    assert names == [
        FEEDBACK_FILE,
        f"{FEEDBACK_FILE}.1",
        f"{FEEDBACK_FILE}.2",
        f"{FEEDBACK_FILE}.lock",
    ]
    files = log.files()
    assert [p.name for p in files] == [f"{FEEDBACK_FILE}.2", f"{FEEDBACK_FILE}.1", FEEDBACK_FILE]
    assert all(p.stat().st_size <= 3_000 for p in files)
    questions = [r.question for r in log.records()]
    assert len(questions) > len(log.path.read_text(encoding="utf-8").splitlines())
    assert questions == [f"Vraag {i}?" for i in range(80 - len(questions), 80)]
    # The download of all feedback holds the rotated records too, oldest first.
    exported = [json.loads(line)["question"] for line in log.jsonl().decode().splitlines()]
    assert exported == questions


def test_an_unreadable_rotated_line_names_its_file(tmp_path: Path) -> None:
    log = log_with(tmp_path, max_mb=0.001, backups=1)
    for i in range(6):
        log.record(answered(f"Vraag {i}?"), helpful=True)
    rotated = log.files()[0]
    with rotated.open("a", encoding="utf-8") as handle:
        handle.write('{"answer_id": 1}\n')
    with pytest.raises(BronwijzerError, match=rf"{rotated.name}, regel \d+: onleesbare feedback"):
        log.records()
