"""Server mode: the same code path against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from chromadb.api import ClientAPI
from chromadb.errors import ChromaError
from locking import writer_held
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest

from bronwijzer.cli import main as ask_main
from bronwijzer.errors import IndexBusyError, StoreUnavailableError
from bronwijzer.index.client import make_client
from bronwijzer.index.rows import pages, read_rows
from bronwijzer.index.serverlock import lock_holder, lock_name, server_writer_lock, writer_lock
from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from eval.__main__ import main as eval_main
from eval.chroma_server import ChromaServer, free_port
from eval.metrics import load_jsonl
from ingest import sync
from ingest.__main__ import main as ingest_main
from tests.conftest import write_tiny_corpus

_OUT = {"capture_output": True, "text": True, "check": True}
QUESTIONS = [
    "Geldt het eigen risico voor de nieuwe betaaltitel?",
    "Welk bedrag in euro's krijgt de NZa voor de monitoring?",
]


def _comparable(prediction: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in prediction.items() if k != "latency_ms"}


def test_ingest_ask_and_predict_run_on_the_server_like_embedded(
    server_env: Settings, tiny_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert ingest_main([]) == 0  # python -m ingest, configured by BRONWIJZER_CHROMA_*
    assert "5 documenten" in capsys.readouterr().out
    # The index lives on the server: nothing of Chroma in the local data folder.
    assert not (server_env.data_dir / "chroma").exists()
    seen_by_server = {c.name for c in make_client(server_env).list_collections()}
    assert IndexStore(server_env).require_active().name in seen_by_server

    assert ask_main(["ask", QUESTIONS[0]]) == 0  # python -m bronwijzer ask
    assert "regeling" in capsys.readouterr().out.lower()

    gold = tmp_path / "gold.jsonl"
    rows = [{"id": f"s-{i}", "question": q, "gold": []} for i, q in enumerate(QUESTIONS)]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert eval_main(["predict", "--gold", str(gold), "--out", str(out)]) == 0
    served = load_jsonl(out)

    # Same answers, passages and scores as the embedded index of the same corpus.
    embedded = KnowledgeBase(tiny_index)
    for question, prediction in zip(QUESTIONS, served, strict=True):
        local = embedded.answer(question).to_prediction(prediction["id"])
        assert _comparable(prediction) == _comparable(local)
    assert served[0]["retrieved"][0]["doc"] == "regeling.txt"


def test_a_writer_elsewhere_is_refused_by_the_lock_on_the_server(
    server_settings: Settings, tmp_path: Path
) -> None:
    # Another host: its own data folder, so its own file lock; only the server is shared.
    elsewhere = server_settings.model_copy(update={"data_dir": tmp_path / "other-host"})
    with writer_held(elsewhere):
        client = make_client(server_settings)
        assert lock_holder(client, server_settings) is not None
        with pytest.raises(IndexBusyError, match=r"ander proces .*pid \d+.*--unlock"):
            sync(server_settings)
    assert lock_holder(client, server_settings) is None  # released by the holder
    assert sync(server_settings).changed


def _plant_lock(settings: Settings, host: str, pid: int) -> None:
    make_client(settings).create_collection(
        lock_name(settings),
        embedding_function=None,
        metadata={"host": host, "pid": pid, "since": 1.0},
    )


def test_a_stopped_writers_lock_is_cleared(
    server_env: Settings, capsys: pytest.CaptureFixture
) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **_OUT)
    # Left by a process on this host that no longer runs: removed by the next writer.
    _plant_lock(server_env, socket.gethostname(), int(gone.stdout))
    assert sync(server_env).changed
    # Left by a process on another host: refused, until removed by hand.
    _plant_lock(server_env, "andere-host", 4242)
    with pytest.raises(IndexBusyError, match="andere-host, pid 4242"):
        sync(server_env)
    assert ingest_main(["--unlock"]) == 0
    assert "Schrijfslot verwijderd (host andere-host, pid 4242" in capsys.readouterr().out
    assert lock_holder(make_client(server_env), server_env) is None


def test_two_writers_clearing_a_stopped_writers_lock_never_both_hold_it(
    server_settings: Settings, tmp_path: Path
) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **_OUT)
    _plant_lock(server_settings, socket.gethostname(), int(gone.stdout))
    start = threading.Barrier(2)
    holding: list[int] = []
    most = [0]
    outcomes: list[str] = []

    def write(number: int) -> None:
        # Own data folders: the file lock does not serialise them, only the server does.
        mine = server_settings.model_copy(update={"data_dir": tmp_path / f"w{number}"})
        start.wait()
        try:
            with writer_lock(mine):
                holding.append(number)
                most[0] = max(most[0], len(holding))
                threading.Event().wait(1.0)
                holding.remove(number)
            outcomes.append("held")
        except IndexBusyError:
            outcomes.append("busy")
        except Exception as exc:  # anything else is a failure, not a busy index
            outcomes.append(repr(exc))

    writers = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert most[0] == 1 and "held" in outcomes
    assert set(outcomes) <= {"held", "busy"}, outcomes
    assert lock_holder(make_client(server_settings), server_settings) is None


class _ReleasedMeanwhile:
    """A real client to the real server, except that the first time a record clashes, its
    holder releases it before the clash is looked into: the interleaving two writers
    produce now and then."""

    def __init__(self, client: ClientAPI, name: str) -> None:
        self._client, self._name, self.clashes = client, name, 0

    def create_collection(self, *args: Any, **kwargs: Any) -> Any:
        if self.clashes:
            return self._client.create_collection(*args, **kwargs)
        try:
            return self._client.create_collection(*args, **kwargs)
        except ChromaError:
            self.clashes += 1
            self._client.delete_collection(self._name)
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def test_a_lock_released_while_a_writer_clashes_with_it_is_taken_not_an_error(
    server_settings: Settings,
) -> None:
    client = make_client(server_settings)
    name = lock_name(server_settings)
    client.create_collection(name, embedding_function=None, metadata={"host": "x", "pid": 1})
    racing = _ReleasedMeanwhile(client, name)
    with server_writer_lock(racing, server_settings):  # type: ignore[arg-type]
        holder = lock_holder(client, server_settings)
        assert holder is not None and holder.pid == os.getpid()
    assert racing.clashes == 1
    assert lock_holder(client, server_settings) is None


def test_an_unreachable_server_gives_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("BRONWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BRONWIJZER_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("BRONWIJZER_CHROMA_PORT", str(port))
    assert ask_main(["ask", "Geldt het eigen risico?"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"Fout: De Chroma-server op 127.0.0.1:{port} antwoordt niet")
    assert len(err.splitlines()) == 1


class TokenProxy:
    """A stand-in for the proxy in front of Chroma: forwards only requests with the token."""

    def __init__(self, upstream_port: int, token: str) -> None:
        self.tokens_seen: list[str] = []
        seen = self.tokens_seen

        class Forward(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def forward(self) -> None:
                seen.append(self.headers.get("Authorization", ""))
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else None
                status, data = 401, b"Unauthorized: missing or wrong token"
                if seen[-1] == f"Bearer {token}":
                    upstream = urllib.request.Request(
                        f"http://127.0.0.1:{upstream_port}{self.path}",
                        data=body,
                        method=self.command,
                        headers={"Content-Type": "application/json"},
                    )
                    try:
                        with urllib.request.urlopen(upstream, timeout=60) as response:
                            status, data = response.status, response.read()
                    except urllib.error.HTTPError as exc:
                        status, data = exc.code, exc.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def token_proxy(chroma_server: ChromaServer) -> Iterator[TokenProxy]:
    proxy = TokenProxy(chroma_server.port, "geheim-token")
    yield proxy
    proxy.server.shutdown()
    proxy.server.server_close()


def test_the_token_is_sent_with_every_request(
    server_settings: Settings, token_proxy: TokenProxy
) -> None:
    behind = server_settings.model_copy(
        update={"chroma_port": token_proxy.port, "chroma_token": SecretStr("geheim-token")}
    )
    sync(behind)
    passages = KnowledgeBase(behind).retrieve(QUESTIONS[0])
    assert passages[0].chunk.doc.doc_id == "regeling.txt"
    assert len(token_proxy.tokens_seen) > 10
    assert set(token_proxy.tokens_seen) == {"Bearer geheim-token"}
    wrong = behind.model_copy(update={"chroma_token": SecretStr("fout")})
    with pytest.raises(StoreUnavailableError, match="Unauthorized"):
        KnowledgeBase(wrong).documents()
    assert "geheim-token" not in repr(behind)  # a SecretStr never shows in logs


def test_the_app_answers_from_the_server(server_env: Settings) -> None:
    sync(server_env)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"))
    at.default_timeout = 60
    at.run()
    at.chat_input[0].set_value(QUESTIONS[0]).run()
    assert not at.exception, at.exception
    reply = "\n".join(m.value for m in at.chat_message[1].markdown)
    lines = reply.splitlines()
    assert lines[0] == "**Nee — volgens de beleidsregel, 2024-01-15; definitief \\[1\\].**"
    quote = (
        "Zorgverzekeraars brengen voor deze kosten geen eigen risico in rekening bij de verzekerde."
    )
    assert f"“{quote}” **[1]**" in lines
    assert f"<mark>{quote}</mark>" in reply


def test_a_generation_is_read_a_page_at_a_time(
    server_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One get() of a whole generation fails on the server beyond ~30k rows.
    sync(server_settings)
    store = IndexStore(server_settings)
    collection = store.collection(store.require_active().name)
    whole = collection.get(include=["documents", "metadatas"])
    monkeypatch.setattr("bronwijzer.index.rows.PAGE_ROWS", 4)
    assert [len(page["ids"]) for page in pages(collection, [])] == [4, 4, 1]
    paged = read_rows(collection, ["documents", "metadatas"])
    assert len(whole["ids"]) == 9 and paged["ids"] == whole["ids"]
    assert paged["documents"] == whole["documents"]
    assert paged["metadatas"] == whole["metadatas"]


def test_a_stopped_server_is_one_clear_error_and_readers_recover(tmp_path: Path) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        settings = Settings(
            corpus_dir=write_tiny_corpus(tmp_path / "corpus"),
            data_dir=tmp_path / "data",
            chroma_host="127.0.0.1",
            chroma_port=server.port,
        )
        sync(settings)
        kb = KnowledgeBase(settings)
        before = kb.retrieve(QUESTIONS[0])
        server.stop()  # as for a backup of its folder
        with pytest.raises(StoreUnavailableError, match="antwoordt niet"):
            kb.answer(QUESTIONS[0])
        server.start()  # same folder, same port
        assert [p.chunk.chunk_id for p in kb.retrieve(QUESTIONS[0])] == [
            p.chunk.chunk_id for p in before
        ]
    finally:
        server.stop()
