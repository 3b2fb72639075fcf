"""The corpus as the documents page shows and changes it: the listing, one audited change."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from bronwijzer.errors import BronwijzerError, IndexMissingError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.records.audit import content_hash
from bronwijzer.settings import Settings
from ingest import IngestReport, corpus_files, document_info, read_metadata
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.report import Progress
from ui.access import admin_name, admin_who
from ui.index_setup import run_index
from ui.render import progress_callback
from ui.resources import app_settings, audit_log, knowledge_base
from ui.safe_text import literal

COLUMNS = {
    "Titel": st.column_config.TextColumn(width="medium"),
    "Datum": st.column_config.TextColumn(width="small"),
    "In de index": st.column_config.TextColumn(width="small"),
}


def stored_bytes(settings: Settings, name: str) -> bytes:
    """The bytes of a corpus file as stored now (empty when it is gone), for the audit hash."""
    path = settings.corpus_dir / name
    return path.read_bytes() if path.is_file() else b""


def run_change(
    label: str,
    change: str,
    action: Callable[[Progress], IngestReport],
    document: str,
    data: bytes,
    **details: str,
) -> IngestReport | None:
    """Run one corpus change under an st.status with a progress bar; show and audit it."""
    audit = audit_log(app_settings())
    who, actor = admin_who(), admin_name()
    digest = content_hash(data)
    with st.status(literal(label), expanded=True) as status:
        st.write("Bestand controleren en indexeren…")
        bar = st.progress(0.0, text="Controleren…")
        try:
            report = action(progress_callback(bar))
        except BronwijzerError as exc:
            audit.document_change(
                who, change, document, digest, error=str(exc), actor=actor, **details
            )
            status.update(label=f"{change} mislukt", state="error")
            st.error(str(exc))
            return None
        audit.document_change(who, change, document, digest, actor=actor, **details)
        status.update(label=f"{change} gelukt", state="complete", expanded=False)
    st.success(report.summary())
    return report


def indexed_documents(kb: KnowledgeBase) -> set[str]:
    """The ids of the indexed documents; none, said on the page, when the index cannot say."""
    try:
        return {d.doc_id for d in kb.documents()}
    except IndexMissingError:
        st.info("Er is nog geen index.")
    except BronwijzerError as exc:  # damaged or lost: say so, still list the corpus folder
        st.error(str(exc))
    return set()


def show_corpus(settings: Settings, manage: bool) -> None:
    """The documents in the corpus folder and whether each is indexed."""
    st.subheader("In de corpusmap")
    if manage and st.button("Index bijwerken met de corpusmap", icon=":material/sync:"):
        run_index(settings, "Index bijwerken…")
    kb = knowledge_base(settings)
    indexed = indexed_documents(kb)
    if kb.notice:
        st.warning(kb.notice)
    try:
        files = corpus_files(settings)
        metadata = read_metadata(settings)
    except BronwijzerError as exc:
        st.error(str(exc))
        return
    rows = [
        {
            "Titel": info.title,
            "Datum": info.date,
            "Soort": info.kind,
            "Status": info.status,
            "In de index": "ja" if path.name in indexed else "nee",
            "Bestand": path.name,
        }
        for path in files
        if (info := document_info(path, metadata))
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch", column_config=COLUMNS)
    else:
        st.write("Nog geen documenten.")
    unsupported = [p.name for p in files if p.suffix.lower() not in SUPPORTED_SUFFIXES]
    if unsupported:
        st.warning(f"Niet te indexeren (bestandstype): {literal(', '.join(unsupported))}")
