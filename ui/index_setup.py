"""What the app shows before any index exists: how to make one, and a button that does."""

from __future__ import annotations

import streamlit as st

from bronwijzer.errors import BronwijzerError
from bronwijzer.settings import Settings
from ingest import corpus_files
from ingest.manage import reindex
from ui.access import can_manage_documents
from ui.render import progress_callback


def run_index(settings: Settings, label: str) -> bool:
    """Sync the corpus into the index under an st.status; True when it worked."""
    with st.status(label, expanded=True) as status:
        bar = st.progress(0.0, text="Beginnen…")
        try:
            report = reindex(settings, progress=progress_callback(bar))
        except BronwijzerError as exc:
            status.update(label="Indexeren mislukt", state="error")
            st.error(str(exc))
            return False
        status.update(label="Index bijgewerkt", state="complete", expanded=False)
    st.success(report.summary())
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
    clicked = st.button("Index nu maken", type="primary", icon=":material/play_arrow:")
    if clicked and run_index(settings, "Index maken…"):
        st.button("Verder naar de vragen")  # any click reruns the page, now with an index
