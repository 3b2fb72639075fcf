"""Back up and restore the index and the corpus folder (python -m ingest --backup/--restore).

A backup folder holds ``chroma/`` (an embedded Chroma with a copy of the active generation,
stored vectors included), ``corpus/`` (the documents and metadata.json), the feedback log
and ``backup.json``. Both directions go through Chroma's API, not its files: a backup is
consistent while the app keeps answering, and a restore is written as a new generation and
switched on atomically, so readers move to it without a restart and never see a mix.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from bronwijzer.errors import BronwijzerError, ModelError
from bronwijzer.index.rows import read_rows
from bronwijzer.index.serverlock import writer_lock
from bronwijzer.index.state import record_backup
from bronwijzer.index.store import IndexStore, store_at
from bronwijzer.index.writing import open_for_writing
from bronwijzer.records.feedback import FEEDBACK_FILE, FeedbackLog
from bronwijzer.records.redact import HASH_KEY_FILE
from bronwijzer.settings import Settings

MANIFEST = "backup.json"


def backup(settings: Settings, dest: Path) -> str:
    """Write the active generation, the corpus folder and the feedback log to ``dest``."""
    dest = dest.resolve()
    if dest.exists() and any(dest.iterdir()):
        raise BronwijzerError(f"De backupmap '{dest}' bestaat al en is niet leeg; kies een nieuwe.")
    with writer_lock(settings):  # no re-index switches generations halfway through the copy
        store = IndexStore(settings)
        active = store.usable(store.require_active())
        source = store.collection(active.name)
        copy = store_at(settings, dest)
        target = copy.new_generation()
        copy.copy_rows(source, target, read_rows(source, [])["ids"])
        copy.activate(target.name, active.embed_model)
        shutil.copytree(settings.corpus_dir, dest / "corpus")
        # feedback with its rotated files, and the key its hashed questions were made with
        for kept in [*FeedbackLog(settings).files(), settings.data_dir / HASH_KEY_FILE]:
            if kept.is_file():
                shutil.copy2(kept, dest / kept.name)
    saved = copy.require_active()
    problem = copy.damage(saved)
    if problem is not None or saved.count != source.count():
        raise BronwijzerError(f"De backup in '{dest}' is onvolledig ({problem}); probeer opnieuw.")
    documents = sorted(p.name for p in (dest / "corpus").iterdir() if p.is_file())
    (dest / MANIFEST).write_text(
        json.dumps(
            {
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "generation": active.name,
                "embed_model": active.embed_model,
                "chunks": saved.count,
                "documents": documents,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    record_backup(settings, dest, saved.count or 0)  # named when the index is damaged later
    return f"Backup gemaakt in '{dest}': {len(documents)} bestanden, {saved.count} chunks."


def restore(settings: Settings, src: Path) -> str:
    """Make the backup in ``src`` the active index and the corpus folder again.

    The backup is checked before anything changes. The current corpus folder is kept
    beside it (``<corpus>.voor-herstel-<time>``); the current generation stays as the
    previous one. Refused while another process writes the index.
    """
    src = src.resolve()
    if not (src / MANIFEST).is_file() or not (src / "chroma").is_dir():
        raise BronwijzerError(
            f"'{src}' is geen Bronwijzer-backup ({MANIFEST} of chroma/ ontbreekt)."
        )
    saved_store = store_at(settings, src)
    saved = saved_store.active()
    problem = "geen index" if saved is None else saved_store.damage(saved)
    if saved is None or problem is not None:
        raise BronwijzerError(
            f"De backup in '{src}' is onbruikbaar ({problem}); er is niets veranderd."
        )
    if saved.embed_model != settings.embedding_id:
        raise ModelError(
            f"De backup is gemaakt met model '{saved.embed_model}', ingesteld is "
            f"'{settings.embedding_id}'. Herstel met hetzelfde model."
        )
    corpus = settings.corpus_dir.resolve()
    with writer_lock(settings):
        store, found = open_for_writing(settings)  # a damaged index is set aside first
        previous = store.active()
        incoming = corpus.with_name(f"{corpus.name}.herstel-{time.time_ns()}")
        target = store.new_generation()
        try:
            source = saved_store.collection(saved.name)
            store.copy_rows(source, target, read_rows(source, [])["ids"])
            if target.count() != saved.count:
                raise BronwijzerError(
                    f"Herstel onvolledig ({target.count()} van {saved.count} chunks); "
                    "de huidige index blijft actief."
                )
            shutil.copytree(src / "corpus", incoming)
        except BaseException:
            store.client.delete_collection(target.name)
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        kept = corpus.with_name(f"{corpus.name}.voor-herstel-{time.strftime('%Y%m%d-%H%M%S')}")
        if corpus.exists():
            corpus.rename(kept)
        incoming.rename(corpus)
        store.activate(target.name, settings.embedding_id)
        store.drop_stale(keep_previous=previous.name if previous else None)
        # what was logged since the backup stays: kept files are only filled in where absent
        for kept in [*src.glob(f"{FEEDBACK_FILE}*"), src / HASH_KEY_FILE]:
            here = settings.data_dir / kept.name
            if kept.is_file() and not here.exists():
                shutil.copy2(kept, here)
    where = f" De vorige corpusmap staat in '{kept}'." if kept.exists() else ""
    return " ".join([*found, f"Backup uit '{src}' hersteld: {saved.count} chunks.{where}"])
