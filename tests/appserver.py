"""`streamlit run app.py` on a free localhost port, and the Chromium that visits it.

A plain module, not a test module: test files import from here, never from each other.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bronwijzer.settings import Settings
from eval.chroma_server import free_port
from tests.commands import ROOT, settings_env

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
READY_LINE = b"URL: http://127.0.0.1:"  # streamlit prints it once it listens on the port


def server_options(port: int) -> list[str]:
    return [
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
    ]


def _copy_output(output: IO[bytes], log: IO[bytes], listening: threading.Event) -> None:
    """Copy the server's output into the log; set `listening` when it says it serves."""
    for line in output:
        log.write(line)
        log.flush()
        if READY_LINE in line:
            listening.set()


@contextmanager
def running_app(settings: Settings, log_path: Path, **env: str) -> Iterator[str]:
    """`streamlit run app.py` on a free port over ``settings``; yields its URL.

    ``env`` adds environment variables for the app (e.g. BRONWIJZER_ADMIN_PASSWORD).
    """
    port = free_port()
    listening = threading.Event()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", *server_options(port)],
            cwd=ROOT,
            env=settings_env(settings, **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert server.stdout is not None
        copier = threading.Thread(target=_copy_output, args=(server.stdout, log, listening))
        copier.start()
        try:
            if not listening.wait(timeout=60):
                raise TimeoutError(f"streamlit did not listen on port {port} within 60 s")
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            copier.join()
