"""python -m ingest: index the corpus folder into the data folder."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from chromadb.errors import ChromaError
from tqdm import tqdm

from bronwijzer.errors import BronwijzerError
from bronwijzer.index.serverlock import remove_lock
from bronwijzer.index.state import write_failure
from bronwijzer.index.store import make_client
from bronwijzer.logsetup import configure
from bronwijzer.records.audit import AuditLog
from bronwijzer.settings import Settings
from ingest.backup import backup, restore
from ingest.sync import sync


def unlock(settings: Settings) -> str:
    """Remove a server-mode writer lock left behind by a writer that stopped."""
    if settings.chroma_server is None:
        return (
            "Geen Chroma-server ingesteld: het bestandsslot in de datamap verdwijnt vanzelf "
            "als het proces stopt."
        )
    holder = remove_lock(make_client(settings), settings)
    if holder is None:
        return f"Er was geen schrijfslot op {settings.chroma_server}."
    return f"Schrijfslot verwijderd ({holder.describe()})."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest", description="Indexeer de documenten in de corpusmap."
    )
    parser.add_argument("--corpus", type=Path, help="corpusmap (standaard: corpus/)")
    parser.add_argument("--data", type=Path, help="datamap voor de index (standaard: data/)")
    parser.add_argument("-v", "--verbose", action="store_true")
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--unlock",
        action="store_true",
        help="servermodus: verwijder het schrijfslot van een gestopt proces en stop",
    )
    action.add_argument(
        "--backup", type=Path, metavar="MAP", help="kopieer index en corpusmap naar een nieuwe map"
    )
    action.add_argument(
        "--restore", type=Path, metavar="MAP", help="zet een backup terug (index en corpusmap)"
    )
    args = parser.parse_args(argv)
    configure(args.verbose)

    overrides: dict[str, Path] = {}
    if args.corpus:
        overrides["corpus_dir"] = args.corpus
    if args.data:
        overrides["data_dir"] = args.data
    bars: dict[str, tqdm] = {}

    def close_bars() -> None:
        for bar in bars.values():
            bar.close()
        bars.clear()

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, leave=False)
        bar.update(done - bar.n)

    try:
        settings = Settings.load(**overrides)
        if args.unlock:
            print(unlock(settings))
            return 0
        if args.backup or args.restore:
            done = backup(settings, args.backup) if args.backup else restore(settings, args.restore)
            folder = str(args.backup or args.restore)
            who = f"cli {getpass.getuser()}"
            AuditLog(settings).document_change(
                who, "Backup" if args.backup else "Herstel", folder, ""
            )
            print(done)
            return 0
        report = sync(settings, progress=progress)
        AuditLog(settings).document_change(
            f"cli {getpass.getuser()}",
            "Indexeren",
            str(settings.corpus_dir),
            "",
            generation=report.generation,
            added=report.chunks_added,
            removed=report.chunks_removed,
            skipped=[name for name, _ in report.skipped],
        )
    except (BronwijzerError, OSError, ChromaError) as exc:
        close_bars()  # first, so that the error line is not glued to a progress bar
        if not isinstance(exc, BronwijzerError):  # outside the index writes: the audit log
            exc = write_failure(settings, exc)
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    finally:
        close_bars()
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
