"""Bronwijzer in the browser: streamlit run app.py

UI only. The pages in ui/ read the settings, call the core package and render.
"""

from __future__ import annotations

import streamlit as st

from ui.access import can_manage_documents

st.set_page_config(page_title="Bronwijzer", page_icon=":material/menu_book:", layout="wide")

pages = [
    st.Page("ui/ask.py", title="Vragen", icon=":material/chat:", url_path="vragen", default=True)
]
if can_manage_documents():
    pages.append(
        st.Page(
            "ui/documents.py",
            title="Documenten",
            icon=":material/folder_open:",
            url_path="documenten",
        )
    )
st.navigation(pages).run()
