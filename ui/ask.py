"""Ask page: questions in a chat, answers with the passages they rest on."""

from __future__ import annotations

import streamlit as st

from bronwijzer.errors import BronwijzerError, QuestionError
from bronwijzer.retrieval.followup import rewrite
from ui import render
from ui.page import open_page
from ui.resources import audit_log, feedback_log, session_id
from ui.safe_text import literal

EXAMPLES = [
    "Wat is patiëntengroepsgebonden afstemming van zorg?",
    "Geldt het eigen risico voor patiëntengroepsgebonden afstemming?",
    "Wat stelt de NZa voor over een sectoroverstijgende betaaltitel?",
]


def queue_question(question: str) -> None:
    st.session_state["pending"] = question


settings, kb, documents = open_page(
    "Bronwijzer",
    "Vragen over zorgbekostiging, beantwoord met de passages uit de beleidsdocumenten "
    "waarop het antwoord rust.",
)

titles = {d.doc_id: d.title for d in documents}
state = st.session_state
state.setdefault("turns", [])
state.setdefault("conversation", 0)

with st.sidebar:
    st.subheader("Zoeken in")
    chosen = st.multiselect(
        "Beperk tot documenten",
        [d.doc_id for d in documents],
        format_func=lambda doc_id: titles.get(doc_id, doc_id),
        placeholder="Alle documenten",
        key="doc_filter",
        help="Leeg laten om in alle documenten te zoeken.",
    )
    if st.button("Nieuw gesprek", icon=":material/refresh:", disabled=not state.turns):
        state.turns = []
        state.conversation += 1
        st.rerun()
    st.subheader(f"Geïndexeerde documenten ({len(documents)})")
    for doc in documents:
        details = " · ".join(x for x in (doc.date, doc.kind, doc.status) if x)
        st.markdown(f"**{literal(doc.title)}**  \n:gray[{literal(details or doc.doc_id)}]")

log = feedback_log(settings)
for number, item in enumerate(state.turns):
    render.turn(kb, log, f"{state.conversation}-{number}", item, lambda d: titles.get(d, d))

if not state.turns:
    st.markdown("**Voorbeeldvragen**")
    for example in EXAMPLES:
        st.button(
            example,
            key=f"example-{example}",
            on_click=queue_question,
            args=(example,),
            icon=":material/help:",
        )

question = st.chat_input(
    "Stel een vraag over de documenten…", max_chars=settings.answer.max_question_chars
)
question = question or state.pop("pending", None)
if not question:
    st.stop()

previous = state.turns[-1].rewrite.standalone if state.turns else None
asked = rewrite(str(question), previous)
try:
    if settings.llm.enabled:
        # The model's claims stream in as a draft; the verified answer replaces it below.
        with st.chat_message("assistant"):
            st.caption("Concept van het taalmodel; wordt nagelezen in de passages…")
            answer = render.streamed_answer(kb, asked.standalone, chosen or None)
    else:
        with st.spinner("Zoeken in de documenten…"):
            answer = kb.answer(asked.standalone, doc_ids=chosen or None)
except QuestionError as exc:
    with st.chat_message("assistant"):
        st.error(str(exc))
    st.stop()
except BronwijzerError as exc:
    st.error(str(exc))
    st.stop()
audit_log(settings).question(f"sessie {session_id()}", answer, asked=str(question))
state.turns.append(render.Turn(asked, answer, list(chosen)))
st.rerun()
