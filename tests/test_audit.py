"""Audit log: questions and document changes as append-only JSONL, rotated by size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bronwijzer.audit import AUDIT_FILE, AuditLog, content_hash
from bronwijzer.settings import Settings
from ingest.__main__ import main as ingest_main
from tests.test_app import ADMIN_PASSWORD, QUESTION, ask, open_documents, start


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


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
    question, added, refused = lines(path)
    session = at.session_state["bw-session"]
    assert question["event"] == "question" and question["who"] == f"sessie {session}"
    assert question["question"] == QUESTION and question["abstained"] is False
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
