"""Append-only JSONL files capped by size: the rotation rule of the audit and feedback logs.

Before a line would take the current file past ``max_bytes`` the file is renamed to
``<name>.1``, ``.1`` to ``.2`` and so on; files past ``backups`` are dropped. So one log
never takes more than ``(backups + 1) * max_bytes`` (a single longer line excepted).
Writers in every process take a file lock, so rotation and appends never interleave.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock

from bronwijzer.errors import BronwijzerError
from bronwijzer.settings import Settings


def size_cap(settings: Settings) -> int:
    """``logs.max_mb`` in bytes."""
    return max(1, int(settings.logs.max_mb * 1_000_000))


class RotatingJsonl:
    """One JSONL log and its rotated files; safe to share between threads and processes."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        if max_bytes < 1 or backups < 0:
            raise ValueError(f"max_bytes >= 1 and backups >= 0 needed, not {max_bytes}, {backups}")
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self._thread_lock = threading.Lock()
        self._file_lock = FileLock(str(path.with_name(path.name + ".lock")))

    def rotated(self) -> list[Path]:
        """The rotated files present, oldest (highest number) first."""
        numbered = []
        for candidate in self.path.parent.glob(self.path.name + ".*"):
            suffix = candidate.name[len(self.path.name) + 1 :]
            if suffix.isdigit():
                numbered.append((int(suffix), candidate))
        return [p for _, p in sorted(numbered, reverse=True)]

    def files(self) -> list[Path]:
        """Rotated files oldest first, then the current file: records in written order."""
        current = [self.path] if self.path.exists() else []
        return [*self.rotated(), *current]

    def append(self, record: dict[str, Any]) -> None:
        """Write ``record`` as one line, rotating first when it would pass the size cap."""
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._thread_lock, self._file_lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            size = self.path.stat().st_size if self.path.exists() else 0
            if size and size + len(data) > self.max_bytes:
                self._rotate()
            # One write of one line in append mode.
            with self.path.open("ab") as handle:
                handle.write(data)

    def _rotate(self) -> None:
        for old in self.rotated():  # oldest first, so no rename overwrites a kept file
            number = int(old.name.rsplit(".", 1)[1])
            if number >= self.backups:
                old.unlink()
            else:
                os.replace(old, old.with_name(f"{self.path.name}.{number + 1}"))
        if self.backups:
            os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink()

    def rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(where, record)`` for every record, oldest first; ``where`` is 'file, regel n'."""
        with self._thread_lock, self._file_lock:  # no rotation halfway through reading
            texts = [(p, p.read_text(encoding="utf-8")) for p in self.files()]
        for path, text in texts:
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                where = f"{path}, regel {number}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BronwijzerError(f"{where}: onleesbare regel ({exc}).") from exc
                if not isinstance(row, dict):
                    raise BronwijzerError(f"{where}: geen JSON-object.")
                yield where, row

    def jsonl(self) -> bytes:
        """The rotated files and the current one joined, oldest first: one download."""
        with self._thread_lock, self._file_lock:
            return b"".join(p.read_bytes() for p in self.files())
