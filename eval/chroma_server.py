"""A local Chroma server (`chroma run`, shipped with chromadb) for tests and the scale bench.

It listens on 127.0.0.1 only, on a free port, with its data in a folder of the caller's.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"


def chroma_executable() -> str:
    """The `chroma` CLI of this environment (next to the interpreter), else the one on PATH."""
    found = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if not found:
        raise FileNotFoundError(
            "De chroma-CLI is niet gevonden (hij hoort bij het pakket chromadb); "
            "installeer het project met pip install -e ."
        )
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def memory_kb(pid: int) -> dict[str, int]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in kB (Linux)."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


class ChromaServer:
    """`chroma run --path PATH --host 127.0.0.1 --port PORT`, started and stopped by us."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.log_path = path.with_name(path.name + "-server.log")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None, "server not started"
        return self._process.pid

    @property
    def heartbeat_url(self) -> str:
        return f"http://{HOST}:{self.port}/api/v2/heartbeat"

    def start(self, timeout_s: float = 60.0) -> ChromaServer:
        """Start the server and wait until its heartbeat answers."""
        self.path.mkdir(parents=True, exist_ok=True)
        command = [chroma_executable(), "run", "--path", str(self.path)]
        command += ["--host", HOST, "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"chroma run stopped (exit {self._process.returncode}): "
                    + self.log_path.read_text(errors="replace")[-2000:]
                )
            if self.answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"Chroma server on port {self.port} did not answer in {timeout_s} s")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.heartbeat_url, timeout=1) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
