"""Who may change the corpus: the single place for rights in the app.

Everyone who can reach the app may ask questions and see the documents. Adding, replacing
and deleting documents, building the index and the feedback export need an admin password.
Each admin can have their own, as a table in Streamlit's secrets
(``.streamlit/secrets.toml``)::

    [admins]
    anna = "…"
    bram = "…"

next to (or instead of) one shared password, ``admin_password`` in the secrets or the
environment variable ``BRONWIJZER_ADMIN_PASSWORD``, whose admin is called 'beheerder'.
Without any, the corpus is read-only. Wrong passwords slow the login down, per session and
for the whole process (bronwijzer.records.throttle); every login, refusal and logout is audited
with the admin's name.
"""

from __future__ import annotations

import hmac
import math
import os
from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from bronwijzer.records.throttle import LoginState
from ui.resources import app_settings, audit_log, login_throttle, session_id
from ui.safe_text import literal

SECRET_KEY = "admin_password"
ADMINS_KEY = "admins"
ENV_VAR = "BRONWIJZER_ADMIN_PASSWORD"
SHARED_ADMIN = "beheerder"  # the name of whoever logs in with the shared password
MAX_PASSWORD_CHARS = 256
_SESSION_KEY = "bw-admin"  # the logged-in admin's name
HOW_TO_ENABLE = (
    "Beheer staat uit: documenten zijn hier alleen te bekijken. Zet een beheerderswachtwoord "
    f'in `.streamlit/secrets.toml` ({SECRET_KEY} = "…", of per beheerder een tabel '
    f'`[{ADMINS_KEY}]` met naam = "wachtwoord") of in de omgevingsvariabele `{ENV_VAR}` en '
    "start de app opnieuw."
)


def _secret(key: str) -> object:
    try:
        return st.secrets.get(key)
    except StreamlitSecretNotFoundError:  # no secrets.toml at all
        return None


def admin_passwords() -> dict[str, str]:
    """Name → password of every configured admin: the [admins] table, then the shared one."""
    admins: dict[str, str] = {}
    table = _secret(ADMINS_KEY)
    if isinstance(table, Mapping):
        admins.update({str(name): str(pw) for name, pw in table.items() if pw})
    shared = _secret(SECRET_KEY) or os.environ.get(ENV_VAR)
    if shared:
        admins.setdefault(SHARED_ADMIN, str(shared))
    return admins


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so response time says nothing about the password."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def matching_admin(given: str, admins: Mapping[str, str]) -> str | None:
    """The admin whose password was given; every password is compared, none skipped."""
    found = None
    for name, expected in admins.items():
        if password_matches(given, expected) and found is None:
            found = name
    return found


def admin_name() -> str | None:
    """The name of the admin logged in in this session, while that admin is configured."""
    name = st.session_state.get(_SESSION_KEY)
    return name if isinstance(name, str) and name in admin_passwords() else None


def can_manage_documents() -> bool:
    """True for a session that logged in with an admin password (while one is set)."""
    return admin_name() is not None


def admin_who() -> str:
    """The audit log's 'who' of an admin action; the name goes in as its ``actor``."""
    return f"{SHARED_ADMIN} (sessie {session_id()})"


def wait_message(state: LoginState) -> str:
    """Dutch: how long this session must wait before the next attempt is checked."""
    if state.locked_out:
        minutes = math.ceil(state.wait_s / 60)
        return (
            "Te veel mislukte pogingen: inloggen als beheerder is geblokkeerd. "
            f"Probeer het over {minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw."
        )
    seconds = math.ceil(state.wait_s)
    return (
        f"Te veel mislukte pogingen. Probeer het over {seconds} "
        f"{'seconde' if seconds == 1 else 'seconden'} opnieuw."
    )


def _login(given: str, admins: Mapping[str, str]) -> None:
    """Check one submitted password under the throttle; log in, or say why not."""
    settings = app_settings()
    throttle, audit, session = login_throttle(settings), audit_log(settings), session_id()
    state = throttle.check(session)
    if state.wait_s > 0:  # not even compared: a guess during the wait tells nothing
        audit.login(f"onbekend (sessie {session})", "refused", wait_s=math.ceil(state.wait_s))
        st.error(wait_message(state))
        return
    name = matching_admin(given, admins)
    if name is not None:
        throttle.succeeded(session)
        st.session_state[_SESSION_KEY] = name
        audit.login(admin_who(), "ok", actor=name)
        st.rerun()
    state = throttle.failed(session)
    audit.login(
        f"onbekend (sessie {session})",
        "wrong",
        failures=state.session_failures,
        process_failures=state.process_failures,
        wait_s=math.ceil(state.wait_s),
    )
    st.error("Onjuist wachtwoord." + (f" {wait_message(state)}" if state.wait_s > 0 else ""))


def admin_gate() -> bool:
    """Render the login, logout or read-only notice; True when this session may manage."""
    admins = admin_passwords()
    if not admins:
        st.info(HOW_TO_ENABLE, icon=":material/lock:")
        return False
    if can_manage_documents():
        st.caption(f"Ingelogd als beheerder: {literal(admin_name() or '')}")
        if st.button("Uitloggen als beheerder", key="admin-logout"):
            audit_log(app_settings()).login(admin_who(), "logout", actor=admin_name())
            st.session_state[_SESSION_KEY] = None
            st.rerun()
        return True
    with st.form("admin-login", clear_on_submit=True):
        given = st.text_input(
            "Beheerderswachtwoord",
            type="password",
            key="admin-password",
            max_chars=MAX_PASSWORD_CHARS,
        )
        submitted = st.form_submit_button("Inloggen als beheerder")
    if submitted:
        _login(given, admins)
    st.caption("Documenten toevoegen, vervangen en verwijderen kan alleen een beheerder.")
    return False
