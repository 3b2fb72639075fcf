"""Read and chunk an upload in its own process, under a time and memory limit.

A hostile file is stopped and refused there, while other uploads go on; the process that
asked never runs a parser on it.
"""

from __future__ import annotations

import multiprocessing
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path

from bronwijzer.errors import DocumentError
from bronwijzer.settings import Settings
from ingest.metadata import document_info
from ingest.sync import chunk_file


def check_readable(name: str, data: bytes, settings: Settings) -> None:
    """Read and chunk the upload in a scratch folder, in its own process, within limits.

    Runs outside the write lock; after settings.limits.parse_timeout_s the process is killed
    and the upload refused, so a hostile file never holds up the next upload.
    """
    timeout = settings.limits.parse_timeout_s
    context = _reading_context()
    with tempfile.TemporaryDirectory(prefix="bronwijzer-upload-") as scratch:
        path = Path(scratch) / name
        path.write_bytes(data)
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(  # type: ignore[attr-defined]
            target=_read_upload, args=(path, settings, sender), name="bronwijzer-lezen"
        )
        worker.start()
        sender.close()  # the worker holds the other end; its exit makes recv() see EOF
        try:
            if not receiver.poll(timeout):
                raise DocumentError(
                    f"{name}: het lezen duurde langer dan {timeout:g} s; het bestand is niet "
                    "toegevoegd. Controleer het bestand of splits het op in kleinere delen."
                )
            try:
                outcome, detail = receiver.recv()
            except EOFError:
                worker.join()
                # A process that dies without an answer ran out of memory (or crashed).
                raise DocumentError(
                    f"{_out_of_memory(name, settings)} (Het leesproces stopte met code "
                    f"{worker.exitcode}.)"
                ) from None
        finally:
            if worker.is_alive():
                worker.kill()
            worker.join()
            receiver.close()
    if outcome != "ok":
        raise DocumentError(detail)


def _reading_context() -> multiprocessing.context.BaseContext:
    """Processes forked from a small server process: fast to start, and never a fork of a
    process with threads (the app's)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Imported once, in the server; with __main__ among them no child imports it again.
    context.set_forkserver_preload(["__main__", __name__])
    return context


def _read_upload(path: Path, settings: Settings, sender: Connection) -> None:
    """Reading process: chunk the upload under the memory cap and send back the outcome."""
    _cap_memory(settings.limits.parse_memory_mb)
    out_of_memory = False
    try:
        outcome = ("ok", str(len(chunk_file(path, document_info(path, {}), settings))))
    except DocumentError as exc:
        outcome = ("refused", str(exc))
    except MemoryError:
        out_of_memory = True  # answered below, once the except block let go of the frames
    except Exception as exc:  # any parser crash on a broken file is a refusal, not an error
        outcome = ("refused", f"{path.name}: het bestand kan niet worden gelezen ({exc}).")
    if out_of_memory:
        outcome = ("refused", _out_of_memory(path.name, settings))
    sender.send(outcome)
    sender.close()


def _cap_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # not on Windows: the time limit still holds
        return
    cap = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _out_of_memory(name: str, settings: Settings) -> str:
    return (
        f"{name}: het lezen had meer dan {settings.limits.parse_memory_mb} MB geheugen nodig; "
        "het bestand is niet toegevoegd."
    )
