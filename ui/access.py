"""Who may change the corpus: the single place for rights in the app.

Everyone who can reach the app may ask questions and see the documents. Adding, replacing
and deleting documents (and the feedback export) need the admin password, set as
``admin_password`` in Streamlit's secrets (``.streamlit/secrets.toml``) or in the
environment variable ``BRONWIJZER_ADMIN_PASSWORD``. Without one, the corpus is read-only.
"""

from __future__ import annotations

import hmac
import os

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

SECRET_KEY = "admin_password"
ENV_VAR = "BRONWIJZER_ADMIN_PASSWORD"
_SESSION_KEY = "bw-admin"
HOW_TO_ENABLE = (
    "Beheer staat uit: documenten zijn hier alleen te bekijken. Zet een beheerderswachtwoord "
    f'in `.streamlit/secrets.toml` ({SECRET_KEY} = "…") of in de omgevingsvariabele '
    f"`{ENV_VAR}` en start de app opnieuw."
)


def admin_password() -> str | None:
    """The configured admin password: Streamlit secrets first, then the environment."""
    try:
        secret = st.secrets.get(SECRET_KEY)
    except StreamlitSecretNotFoundError:  # no secrets.toml at all
        secret = None
    value = secret or os.environ.get(ENV_VAR)
    return str(value) if value else None


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so response time says nothing about the password."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def can_manage_documents() -> bool:
    """True for a session that logged in with the admin password (while one is set)."""
    return admin_password() is not None and st.session_state.get(_SESSION_KEY) is True


def admin_gate() -> bool:
    """Render the login, logout or read-only notice; True when this session may manage."""
    expected = admin_password()
    if expected is None:
        st.info(HOW_TO_ENABLE, icon=":material/lock:")
        return False
    if can_manage_documents():
        if st.button("Uitloggen als beheerder", key="admin-logout"):
            st.session_state[_SESSION_KEY] = False
            st.rerun()
        return True
    with st.form("admin-login", clear_on_submit=True):
        given = st.text_input("Beheerderswachtwoord", type="password", key="admin-password")
        submitted = st.form_submit_button("Inloggen als beheerder")
    if submitted:
        if password_matches(given, expected):
            st.session_state[_SESSION_KEY] = True
            st.rerun()
        st.error("Onjuist wachtwoord.")
    st.caption("Documenten toevoegen, vervangen en verwijderen kan alleen een beheerder.")
    return False
