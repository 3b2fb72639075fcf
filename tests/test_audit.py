"""Audit log: questions and document changes as append-only JSONL, rotated by size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bronwijzer.records.audit import AUDIT_FILE, AuditLog, content_hash
from bronwijzer.records.redact import HASH_KEY_FILE, HASH_PREFIX, QuestionStorage
from bronwijzer.settings import LogSettings, Settings
from bronwijzer.types import Answer, Citation
from ingest.__main__ import main as ingest_main
from tests.apphelpers import ADMIN_PASSWORD, QUESTION, ask, open_documents, start


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


BSN_QUESTION = "Mijn BSN is 123456782, mail j.jansen@example.nl: krijg ik een pgb?"


def settings_in(tmp_path: Path, **logs: object) -> Settings:
    return Settings(
        corpus_dir=tmp_path / "corpus",
        data_dir=tmp_path / "data",
        logs=LogSettings.model_validate(logs),
    )


def answer_to(question: str) -> Answer:
    citation = Citation(
        number=1,
        doc_id="a.txt",
        title="Titel",
        date="2024-01-01",
        kind="Kamerbrief",
        status="definitief",
        page=1,
        section="",
        quote="Een pgb is een persoonsgebonden budget.",
        passage="Een pgb is een persoonsgebonden budget.",
        chunk_id="c1",
    )
    return Answer(question=question, text="Ja.", abstained=False, citations=[citation])


def test_a_bsn_and_an_email_in_a_question_are_masked_by_default(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    log = AuditLog(settings)
    log.question("sessie ab12", answer_to(BSN_QUESTION), asked="1234.56.782 en " + BSN_QUESTION)
    raw = (settings.data_dir / AUDIT_FILE).read_text(encoding="utf-8")
    for secret in ("123456782", "56.782", "j.jansen", "example.nl"):
        assert secret not in raw
    [record] = lines(settings.data_dir / AUDIT_FILE)
    assert record["question"] == "Mijn BSN is [BSN], mail [e-mail]: krijg ik een pgb?"
    assert record["asked"].startswith("[BSN] en Mijn BSN is [BSN]")
    assert record["question_storage"] == "redacted" and record["cited_doc_ids"] == ["a.txt"]


def test_hashed_questions_keep_no_text_and_equal_questions_hash_equally(tmp_path: Path) -> None:
    settings = settings_in(tmp_path, question_storage="hashed")
    log = AuditLog(settings)
    log.question("sessie a", answer_to(BSN_QUESTION))
    log.question("sessie b", answer_to("  " + BSN_QUESTION.replace(" ", "  ")))
    log.question("sessie c", answer_to("Wat kost een pgb?"))
    raw = (settings.data_dir / AUDIT_FILE).read_text(encoding="utf-8")
    assert "123456782" not in raw and "pgb" not in raw and "BSN" not in raw
    first, again, other = (r["question"] for r in lines(settings.data_dir / AUDIT_FILE))
    assert first.startswith(HASH_PREFIX) and len(first) == len(HASH_PREFIX) + 64
    assert first == again != other
    # Keyed: the data folder's own random key, not a bare SHA-256 anyone can recompute.
    assert (settings.data_dir / HASH_KEY_FILE).stat().st_size == 64
    assert QuestionStorage(settings).question(BSN_QUESTION) == first  # the key is kept
    keyed = settings_in(tmp_path / "other", question_storage="hashed", hash_key="geheim")
    assert QuestionStorage(keyed).question(BSN_QUESTION) != first


def test_verbatim_keeps_the_question(tmp_path: Path) -> None:
    settings = settings_in(tmp_path, question_storage="verbatim")
    AuditLog(settings).question("sessie a", answer_to(BSN_QUESTION))
    [record] = lines(settings.data_dir / AUDIT_FILE)
    assert record["question"] == BSN_QUESTION and record["question_storage"] == "verbatim"


def test_the_storage_is_set_through_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRONWIJZER_LOGS__QUESTION_STORAGE", "hashed")
    monkeypatch.setenv("BRONWIJZER_LOGS__MAX_MB", "0.5")
    monkeypatch.setenv("BRONWIJZER_LOGS__BACKUPS", "2")
    logs = Settings().logs
    assert (logs.question_storage, logs.max_mb, logs.backups) == ("hashed", 0.5, 2)
    monkeypatch.setenv("BRONWIJZER_LOGS__QUESTION_STORAGE", "plain")
    with pytest.raises(ValueError, match="question_storage"):
        Settings()


def test_an_admin_is_recorded_by_name(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    log = AuditLog(settings)
    digest = content_hash(b"x")
    log.document_change("beheerder (sessie ab12)", "Toevoegen", "a.txt", digest, actor="anna")
    log.document_change("beheerder", "Verwijderen", "a.txt", digest, actor=" piet\n de  Vries ")
    log.question("sessie ab12", answer_to("Wat is een pgb?"), actor="anna")
    log.document_change("beheerder (sessie ab12)", "Toevoegen", "b.txt", digest, actor="  ")
    log.login("beheerder (sessie ab12)", "ok", actor="beheerder")
    log.document_change("beheerder (sessie ab12)", "Toevoegen", "c.txt", digest, None, extra="1")
    named, multiline, asked, blank, shared, positional = lines(settings.data_dir / AUDIT_FILE)
    assert named["who"] == "beheerder: anna (sessie ab12)" and named["actor"] == "anna"
    assert multiline["who"] == "beheerder: piet de Vries" and multiline["actor"] == "piet de Vries"
    assert asked["who"] == "sessie ab12: anna" and asked["event"] == "question"
    assert blank["who"] == "beheerder (sessie ab12)" and "actor" not in blank
    assert shared["who"] == "beheerder (sessie ab12)" and shared["actor"] == "beheerder"
    assert shared["event"] == "login" and shared["outcome"] == "ok"
    assert positional["extra"] == "1" and positional["ok"] is True and "actor" not in positional


def test_rotates_by_size_and_only_appends(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data")
    log = AuditLog(settings, max_bytes=2_000, backups=2)
    for i in range(60):
        log.document_change("tester", "Toevoegen", f"doc{i}.txt", content_hash(str(i).encode()))
    log.close()
    current = settings.data_dir / AUDIT_FILE
    rotated = [current.with_name(f"{AUDIT_FILE}.{n}") for n in (1, 2)]
    assert all(p.exists() for p in rotated)
    assert not current.with_name(f"{AUDIT_FILE}.3").exists()  # oldest dropped
    assert all(p.stat().st_size <= 2_000 for p in [current, *rotated])
    kept = [r["document"] for p in (rotated[1], rotated[0], current) for r in lines(p)]
    # Oldest first across the files, without gaps: records are appended, never rewritten.
    assert kept == [f"doc{i}.txt" for i in range(60 - len(kept), 60)]
    # The reader sees the rotated records too, in the same order.
    assert [r["document"] for r in AuditLog(settings).records()] == kept
    assert AuditLog(settings).files() == [rotated[1], rotated[0], current]


def test_the_size_cap_comes_from_the_settings(tmp_path: Path) -> None:
    settings = settings_in(tmp_path, max_mb=0.002, backups=3)  # 2,000 bytes a file
    log = AuditLog(settings)
    for i in range(300):
        log.question(f"sessie {i}", answer_to(f"Vraag nummer {i} over het pgb?"))
    files = log.files()
    assert len(files) == 4  # three rotated and the current one, no more
    assert sum(p.stat().st_size for p in files) <= 4 * 2_000
    numbers = [int(r["who"].split()[1]) for r in log.records()]
    assert numbers == list(range(300 - len(numbers), 300)) and len(numbers) > 20


def test_questions_and_uploads_are_audited_without_secrets(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRONWIJZER_ADMIN_PASSWORD", ADMIN_PASSWORD)
    at = ask(start(), QUESTION)
    upload = b"Respijtzorg\n\nGemeenten bekostigen de respijtzorg voor mantelzorgers uit de Wmo.\n"
    at = open_documents(at, ADMIN_PASSWORD)
    at.file_uploader(key="add-file").upload("respijtzorg.txt", upload, "text/plain")
    at.button(key="FormSubmitter:add-Toevoegen en indexeren").click().run()
    at.file_uploader(key="add-file").upload("leeg.txt", b"", "text/plain")
    at.button(key="FormSubmitter:add-Toevoegen en indexeren").click().run()
    assert not at.exception, at.exception

    path = app_env.data_dir / AUDIT_FILE
    raw = path.read_text(encoding="utf-8")
    assert ADMIN_PASSWORD not in raw
    question, login, added, refused = lines(path)
    assert login["event"] == "login" and login["outcome"] == "ok"
    assert login["actor"] == "beheerder"
    session = at.session_state["bw-session"]
    assert question["event"] == "question" and question["who"] == f"sessie {session}"
    assert question["question"] == QUESTION and question["abstained"] is False
    assert question["question_storage"] == "redacted"  # the default; QUESTION has nothing to mask
    assert question["cited_doc_ids"] and set(question["cited_doc_ids"]) <= {
        p.name for p in app_env.corpus_dir.iterdir()
    }
    assert question["time"].endswith("+00:00")
    assert added["event"] == "document" and added["action"] == "Toevoegen"
    assert added["document"] == "respijtzorg.txt" and added["ok"] is True
    assert added["sha256"] == content_hash(upload)
    assert added["who"] == f"beheerder (sessie {session})"
    assert refused["ok"] is False and "leeg" in refused["error"]


def test_ingest_cli_records_the_sync(app_site: Settings, capsys: pytest.CaptureFixture) -> None:
    (app_site.corpus_dir / "extra.md").write_text(
        "# Extra\n\nDe zorgverzekeraar betaalt de afstemming als lumpsum per kwartaal.\n",
        encoding="utf-8",
    )
    argv = ["--corpus", str(app_site.corpus_dir), "--data", str(app_site.data_dir)]
    assert ingest_main(argv) == 0
    [record] = lines(app_site.data_dir / AUDIT_FILE)
    assert record["action"] == "Indexeren" and record["who"].startswith("cli ")
    assert record["added"] >= 1 and record["ok"] is True
