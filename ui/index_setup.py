"""What the app shows before any index exists: how to make one, and a button that does."""

from __future__ import annotations

import streamlit as st

from bronwijzer.errors import BronwijzerError
from bronwijzer.settings import Settings
from ingest import corpus_files
from ingest.manage import reindex
from ui.access import admin_name, admin_who, can_manage_documents
from ui.render import progress_callback
from ui.resources import audit_log
from ui.safe_text import literal_lines

INDEX_ACTION = "Indexeren"


def run_index(settings: Settings, label: str) -> bool:
    """Sync the corpus into the index under an st.status, for an admin only; audited.

    True when it worked."""
    if not can_manage_documents():  # the pages offer it to admins only; this is the guard
        st.error("Alleen een beheerder kan de index maken of bijwerken.")
        return False
    audit = audit_log(settings)
    corpus = str(settings.corpus_dir)
    with st.status(label, expanded=True) as status:
        bar = st.progress(0.0, text="Beginnen…")
        try:
            report = reindex(settings, progress=progress_callback(bar))
        except BronwijzerError as exc:
            audit.document_change(
                admin_who(), INDEX_ACTION, corpus, "", error=str(exc), actor=admin_name()
            )
            status.update(label="Indexeren mislukt", state="error")
            st.error(literal_lines(str(exc)))
            return False
        audit.document_change(
            admin_who(), INDEX_ACTION, corpus, "", actor=admin_name(), summary=report.summary()
        )
        status.update(label="Index bijgewerkt", state="complete", expanded=False)
    st.success(literal_lines(report.summary()))
    return True


def offer_first_index(settings: Settings) -> None:
    """Explain that there is no index yet, and offer to make it from the corpus folder."""
    st.info(
        f"Er is nog geen index in `{settings.data_dir}`. Maak die in een terminal in de "
        "projectmap met `python -m ingest`, of met de knop hieronder. Het indexeren leest "
        f"de documenten in `{settings.corpus_dir}`."
    )
    try:
        files = corpus_files(settings)
    except BronwijzerError:
        files = []
    if not files:
        st.warning("De corpusmap is leeg: voeg eerst documenten toe.")
        if can_manage_documents():
            st.page_link("ui/documents.py", label="Documenten toevoegen", icon=":material/upload:")
        return
    st.caption(f"{len(files)} bestanden in de corpusmap.")
    if not can_manage_documents():
        st.warning("Alleen een beheerder kan de index maken. Log in op de pagina Documenten.")
        st.page_link("ui/documents.py", label="Inloggen als beheerder", icon=":material/login:")
        return
    clicked = st.button("Index nu maken", type="primary", icon=":material/play_arrow:")
    if clicked and run_index(settings, "Index maken…"):
        st.button("Verder naar de vragen")  # any click reruns the page, now with an index
