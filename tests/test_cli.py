"""The command-line entry points, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bronwijzer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "BRONWIJZER_CORPUS_DIR": str(settings.corpus_dir),
        "BRONWIJZER_DATA_DIR": str(settings.data_dir),
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


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
