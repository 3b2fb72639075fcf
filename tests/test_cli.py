"""The command-line entry points, run as a user runs them."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from bronwijzer.index.store import IndexStore
from bronwijzer.records.audit import AUDIT_FILE
from bronwijzer.settings import Settings
from tests.commands import run


def test_ask_prints_answer_and_sources(corpus_index: Settings) -> None:
    result = run(["-m", "bronwijzer", "ask", "Geldt het eigen risico?"], corpus_index)
    assert result.returncode == 0, result.stderr
    assert "Bronnen:" in result.stdout and "[1]" in result.stdout


def test_ask_json_is_a_prediction(corpus_index: Settings) -> None:
    result = run(
        ["-m", "bronwijzer", "ask", "--json", "Wat is het contractvereiste?"], corpus_index
    )
    assert result.returncode == 0, result.stderr
    prediction = json.loads(result.stdout)
    assert set(prediction) >= {"id", "answer", "abstained", "citations", "retrieved", "latency_ms"}
    assert len(prediction["retrieved"]) >= 10


def test_ask_is_audited_as_the_os_user_without_secrets(app_site: Settings) -> None:
    question = "Tot wanneer wordt de integrale bekostiging van de wijkverpleging verlengd?"
    token = "chroma-token-4b1e9d"
    result = run(["-m", "bronwijzer", "ask", question], app_site, BRONWIJZER_CHROMA_TOKEN=token)
    assert result.returncode == 0, result.stderr
    raw = (app_site.data_dir / AUDIT_FILE).read_text(encoding="utf-8")
    assert token not in raw
    (record,) = [json.loads(line) for line in raw.splitlines()]
    assert record["event"] == "question" and record["who"] == f"cli {getpass.getuser()}"
    assert record["question"] == question and record["abstained"] is False
    assert "kamerbrief-wijkverpleging.txt" in record["cited_doc_ids"]
    assert record["generation"] == IndexStore(app_site).require_active().name


def test_errors_are_one_line_with_nonzero_exit(corpus_index: Settings, tmp_path: Path) -> None:
    empty = run(["-m", "bronwijzer", "ask", "  "], corpus_index)
    assert empty.returncode == 2
    assert empty.stderr.strip().count("\n") == 0 and "leeg" in empty.stderr
    missing = Settings(corpus_dir=corpus_index.corpus_dir, data_dir=tmp_path / "geen-index")
    no_index = run(["-m", "bronwijzer", "ask", "Geldt het eigen risico?"], missing)
    assert no_index.returncode == 2 and "python -m ingest" in no_index.stderr


def test_ingest_cli_summary(tiny_settings: Settings) -> None:
    first = run(["-m", "ingest"], tiny_settings)
    assert first.returncode == 0, first.stderr
    assert "5 documenten" in first.stdout
    assert "Overgeslagen: leeg.txt" in first.stdout and "kapot.pdf" in first.stdout
    second = run(["-m", "ingest"], tiny_settings)
    assert "niets opnieuw ingebed" in second.stdout


def test_ingest_cli_missing_corpus(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "bestaat-niet", data_dir=tmp_path / "data")
    result = run(["-m", "ingest"], settings)
    assert result.returncode == 1 and "bestaat niet" in result.stderr


@pytest.mark.parametrize(
    "command", [["-m", "bronwijzer", "ask", "Geldt het eigen risico?"], ["-m", "ingest"]]
)
def test_a_bad_setting_is_one_line_naming_it_and_nothing_is_touched(
    corpus_index: Settings, command: list[str]
) -> None:
    before = sorted(p.name for p in corpus_index.data_dir.rglob("*"))
    result = run(command, corpus_index, BRONWIJZER_LLM__TIMEOUT_S="abc")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Fout:")]
    assert lines == [
        "Fout: De instellingen (BRONWIJZER_…) zijn ongeldig: llm.timeout_s: Input should be a "
        "valid number, unable to parse string as a number"
    ]
    assert sorted(p.name for p in corpus_index.data_dir.rglob("*")) == before
