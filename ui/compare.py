"""Differences page: two documents side by side on a question, with contrasts flagged."""

from __future__ import annotations

import streamlit as st

from bronwijzer.analysis.compare import Statement, compare
from bronwijzer.analysis.contrasts import Difference
from bronwijzer.errors import BronwijzerError
from ui.page import doc_line, example_input, marked, open_page, spans_of, where
from ui.render import source_card
from ui.safe_text import literal

EXAMPLES = [
    "Heeft de betaaltitel een einddatum of een beperkte looptijd?",
    "Is lump sum bekostiging mogelijk?",
    "Vallen coördinatie en multidisciplinair overleg onder de betaaltitel?",
]
KINDS = {
    "ontkenning": "ontkenning",
    "voorbehoud": "voorbehoud",
    "duur": "duur / looptijd",
    "bedrag": "bedrag",
    "percentage": "percentage",
    "artikel": "wetsartikel",
    "jaar": "jaartal",
}

settings, kb, documents = open_page(
    "Verschillen tussen documenten",
    "De passages van twee documenten over dezelfde vraag naast elkaar; gemarkeerd waar de "
    "een ontkent wat de ander stelt, of andere termijnen, bedragen of artikelen noemt.",
)
titles = {d.doc_id: d.title for d in documents}
chosen = st.multiselect(
    "Documenten (twee)",
    [d.doc_id for d in documents],
    format_func=lambda doc_id: titles.get(doc_id, doc_id),
    max_selections=2,
    placeholder="Automatisch: de twee documenten die het meest over de vraag zeggen",
)
question = example_input(
    "Vraag of clausule",
    EXAMPLES,
    "compare-example",
    placeholder="bijv. Heeft de betaaltitel een einddatum?",
)
if len(chosen) == 1:
    st.info("Kies een tweede document, of geen om ze automatisch te laten kiezen.")
    st.stop()
with st.spinner("Passages zoeken en uitlijnen…"):
    try:
        comparison = compare(kb, question, chosen or None)
    except BronwijzerError as exc:
        st.error(str(exc))
        st.stop()


def card(statement: Statement, differences: list[Difference], side: str) -> None:
    cues = [getattr(d, side) for d in differences if getattr(d, side)]
    body = marked(statement.text, spans_of(statement.text, cues))
    source_card("", "", where(statement.page, statement.section), body)


heads = st.columns(2)
for column, doc in zip(heads, (comparison.left, comparison.right), strict=True):
    column.markdown(f"**{literal(doc.title)}**  \n:gray[{literal(doc_line(doc))}]")
for number, pair in enumerate(comparison.pairs, start=1):
    st.markdown(f"**Punt {number}**")
    left, right = st.columns(2)
    with left:
        card(pair.left, pair.differences, "left")
    with right:
        card(pair.right, pair.differences, "right")
    if pair.differences:
        st.warning(
            "  \n".join(
                f"**Verschil in {KINDS.get(d.kind, d.kind)}:** links “{literal(d.left or '—')}”, "
                f"rechts “{literal(d.right or '—')}”"
                for d in pair.differences
            ),
            icon=":material/compare_arrows:",
        )
    else:
        st.caption("Geen verschil in ontkenning, voorbehoud, termijnen of getallen gevonden.")
