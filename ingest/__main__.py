"""python -m ingest: index the corpus folder into the data folder."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from chromadb.errors import ChromaError
from tqdm import tqdm

from bronwijzer.errors import BronwijzerError
from bronwijzer.index.client import make_client
from bronwijzer.index.serverlock import remove_lock
from bronwijzer.index.state import write_failure
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


def build_parser() -> argparse.ArgumentParser:
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
    return parser


class ProgressBars:
    """One tqdm bar per stage ('lezen', 'inbedden'), as sync() reports progress."""

    def __init__(self) -> None:
        self._bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        bar = self._bars.get(stage)
        if bar is None:
            bar = self._bars[stage] = tqdm(total=total, desc=stage, leave=False)
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure(args.verbose)
    overrides = {
        key: value for key, value in (("corpus_dir", args.corpus), ("data_dir", args.data)) if value
    }
    bars = ProgressBars()
    try:
        settings = Settings.load(**overrides)
        message = run_action(args, settings, bars)
    except (BronwijzerError, OSError, ChromaError) as exc:
        bars.close()  # first, so that the error line is not glued to a progress bar
        if not isinstance(exc, BronwijzerError):  # outside the index writes: the audit log
            exc = write_failure(settings, exc)
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    finally:
        bars.close()
    print(message)
    return 0


def run_action(args: argparse.Namespace, settings: Settings, bars: ProgressBars) -> str:
    """Do what the arguments ask (unlock, backup, restore, else index); the line to print."""
    if args.unlock:
        return unlock(settings)
    if args.backup or args.restore:
        return _backup_or_restore(settings, args)
    return _index(settings, bars)


def _backup_or_restore(settings: Settings, args: argparse.Namespace) -> str:
    if args.backup:
        done, action, folder = backup(settings, args.backup), "Backup", args.backup
    else:
        done, action, folder = restore(settings, args.restore), "Herstel", args.restore
    AuditLog(settings).document_change(_cli_user(), action, str(folder), "")
    return done


def _index(settings: Settings, bars: ProgressBars) -> str:
    report = sync(settings, progress=bars)
    AuditLog(settings).document_change(
        _cli_user(),
        "Indexeren",
        str(settings.corpus_dir),
        "",
        generation=report.generation,
        added=report.chunks_added,
        removed=report.chunks_removed,
        skipped=[name for name, _ in report.skipped],
    )
    return report.summary()


def _cli_user() -> str:
    return f"cli {getpass.getuser()}"


if __name__ == "__main__":
    sys.exit(main())
