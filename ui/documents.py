"""Documents page: see what is indexed; add, replace and delete documents; export feedback."""

from __future__ import annotations

import math

import streamlit as st

from bronwijzer.errors import BronwijzerError
from bronwijzer.records.feedback import export_gold, latest
from ingest import corpus_files, document_info, read_metadata
from ingest.manage import add_document, delete_document, replace_document, update_metadata
from ingest.sync import clean_interrupted
from ui.access import admin_gate
from ui.corpus import run_change, show_corpus, stored_bytes
from ui.render import inject_style
from ui.resources import app_settings, feedback_log

FORMATS = "PDF, DOCX, HTML, TXT of MD"
FIELD_CHARS = 300  # a metadata field typed in a form; longer stored values stay editable
STATUSES = ["", "definitief", "concept", "advies (voorstel, geen besluit)", "ingetrokken"]


settings = app_settings()
inject_style()
st.title("Documenten")
if not admin_gate():
    show_corpus(settings, manage=False)
    st.stop()
# An ingest that was killed is reported once, cleaned up, and kept in view this session.
try:
    interrupted = clean_interrupted(settings)
except BronwijzerError as exc:
    interrupted = str(exc)
if interrupted:
    st.session_state["bw-interrupted"] = interrupted
if "bw-interrupted" in st.session_state:
    st.warning(st.session_state["bw-interrupted"])
limit = f"{settings.max_file_mb:g} MB"
upload_mb = max(1, math.ceil(settings.max_file_mb))  # the browser refuses bigger files at once
st.caption(
    f"Toegestaan: {FORMATS}, tot {limit} per bestand. De corpusmap is `{settings.corpus_dir}`."
)

add_tab, details_tab, replace_tab, delete_tab, feedback_tab = st.tabs(
    ["Toevoegen", "Gegevens", "Vervangen", "Verwijderen", "Feedback"]
)

with add_tab, st.form("add", clear_on_submit=True):
    upload = st.file_uploader(
        f"Document ({FORMATS}, max. {limit})",
        key="add-file",
        max_upload_size=upload_mb,
        help="Het bestand wordt eerst gecontroleerd; pas daarna verandert de corpusmap.",
    )
    left, right = st.columns(2)
    title = left.text_input("Titel", placeholder="Kamerbrief over …", max_chars=FIELD_CHARS)
    date = right.text_input("Datum", placeholder="JJJJ-MM-DD", max_chars=FIELD_CHARS)
    kind = left.text_input(
        "Soort", placeholder="Kamerbrief, verkenning, beleidsregel …", max_chars=FIELD_CHARS
    )
    status = right.selectbox("Status", STATUSES, format_func=lambda s: s or "(onbekend)")
    if st.form_submit_button("Toevoegen en indexeren", type="primary"):
        if upload is None:
            st.warning("Kies eerst een bestand.")
        else:
            name, data = upload.name, upload.getvalue()
            meta = {"title": title, "date": date, "kind": kind, "status": status}
            run_change(
                f"‘{name}’ toevoegen",
                "Toevoegen",
                lambda progress: add_document(settings, name, data, meta, progress=progress),
                name,
                data,
            )

try:
    files = corpus_files(settings)
    metadata = read_metadata(settings)
except BronwijzerError as exc:
    st.error(str(exc))
    st.stop()
infos = {path.name: document_info(path, metadata) for path in files}


def document_label(name: str) -> str:
    return f"{infos[name].label()} — {name}"


with details_tab:
    if not infos:
        st.info("Er zijn nog geen documenten.")
    else:
        chosen = st.selectbox(
            "Document",
            list(infos),
            format_func=document_label,
            key="details-doc",
        )
        info = infos[chosen]
        with st.form(f"details-{chosen}"):
            left, right = st.columns(2)
            chars = max(FIELD_CHARS, len(info.title), len(info.date), len(info.kind))
            chars = max(chars, len(info.status))  # never cut a stored value on saving
            new_title = left.text_input("Titel", value=info.title, max_chars=chars)
            new_date = right.text_input(
                "Datum", value=info.date, placeholder="JJJJ-MM-DD", max_chars=chars
            )
            new_kind = left.text_input("Soort", value=info.kind, max_chars=chars)
            new_status = right.text_input(
                "Status",
                value=info.status,
                max_chars=chars,
                help="Bijvoorbeeld: definitief, concept, advies (voorstel, geen besluit), "
                "vervangen door …",
            )
            if st.form_submit_button("Gegevens opslaan", type="primary"):
                fields = {
                    **metadata.get(chosen, {}),
                    "title": new_title,
                    "date": new_date,
                    "kind": new_kind,
                    "status": new_status,
                }
                run_change(
                    f"Gegevens van ‘{chosen}’ opslaan",
                    "Gegevens wijzigen",
                    lambda progress: update_metadata(settings, chosen, fields, progress=progress),
                    chosen,
                    stored_bytes(settings, chosen),
                )

with replace_tab:
    if not infos:
        st.info("Er zijn nog geen documenten om te vervangen.")
    else:
        with st.form("replace", clear_on_submit=True):
            target = st.selectbox("Document", list(infos), format_func=document_label)
            new_version = st.file_uploader(
                f"Nieuwe versie ({FORMATS}, max. {limit})", max_upload_size=upload_mb
            )
            new_date = st.text_input(
                "Nieuwe datum (optioneel)", placeholder="JJJJ-MM-DD", max_chars=FIELD_CHARS
            )
            if st.form_submit_button("Nieuwe versie indexeren", type="primary"):
                if new_version is None:
                    st.warning("Kies eerst het bestand met de nieuwe versie.")
                else:
                    name, data = new_version.name, new_version.getvalue()
                    run_change(
                        f"‘{target}’ vervangen",
                        "Vervangen",
                        lambda progress: replace_document(
                            settings, target, name, data, {"date": new_date}, progress=progress
                        ),
                        target,
                        data,
                        new_name=name,
                    )

with delete_tab:
    if not infos:
        st.info("Er zijn nog geen documenten om te verwijderen.")
    else:
        with st.form("delete"):
            doomed = st.selectbox(
                "Document",
                list(infos),
                format_func=document_label,
                key="delete-doc",
            )
            sure = st.checkbox("Ja, verwijder dit document uit de corpusmap en de index")
            if st.form_submit_button("Verwijderen"):
                if not sure:
                    st.warning("Vink eerst aan dat u het document wilt verwijderen.")
                else:
                    run_change(
                        f"‘{doomed}’ verwijderen",
                        "Verwijderen",
                        lambda progress: delete_document(settings, doomed, progress=progress),
                        doomed,
                        stored_bytes(settings, doomed),
                    )

with feedback_tab:
    log = feedback_log(settings)
    records = log.records()
    current = latest(records)
    helpful = sum(r.helpful for r in current)
    st.write(
        f"{len(current)} beoordeelde antwoorden: {helpful} nuttig, "
        f"{len(current) - helpful} niet nuttig."
    )
    gold = export_gold(records)
    st.download_button(
        "Gold-regels voor de eval-set (JSONL)",
        gold,
        file_name="feedback-gold.jsonl",
        mime="application/jsonl",
        disabled=not gold,
        on_click="ignore",
        help="Nuttige antwoorden als gold-regels (formaat van shared/eval); nakijken vóór gebruik.",
    )
    if log.files():
        st.download_button(
            "Alle feedback (JSONL)",
            log.jsonl(),  # the rotated files too
            file_name="feedback.jsonl",
            mime="application/jsonl",
            on_click="ignore",
        )


# Listed last, so that it shows the outcome of a change made above in this run.
show_corpus(settings, manage=True)
