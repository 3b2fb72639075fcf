"""Roles: everyone may read and ask; only an admin (password) may change the corpus."""

from __future__ import annotations

import hmac
import json

import pytest
from streamlit.testing.v1 import AppTest

from bronwijzer.records.audit import AuditLog
from bronwijzer.settings import Settings
from tests.apphelpers import ADMIN_PASSWORD, APP, INDEXED, open_documents, start, texts
from ui.access import matching_admin, password_matches
from ui.resources import login_throttle

ADD = "FormSubmitter:add-Toevoegen en indexeren"


def corpus_names(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.corpus_dir.iterdir())


def assert_read_only(at: AppTest, settings: Settings) -> None:
    assert not at.file_uploader, "no upload without admin rights"
    assert len(at.get("form")) <= 1 and not at.selectbox  # at most the login form
    assert not [b for b in at.button if "Index bijwerken" in b.label]
    assert len(at.dataframe[0].value) == 3  # the documents are still listed
    assert corpus_names(settings) == sorted({*INDEXED, "metadata.json"})  # nothing changed


def uploaders(at: AppTest) -> set[str]:
    return {u.key for u in at.file_uploader if u.key}


def test_without_an_admin_password_the_documents_page_is_read_only(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRONWIJZER_ADMIN_PASSWORD", raising=False)
    at = open_documents(start())
    assert "BRONWIJZER_ADMIN_PASSWORD" in texts(at.info)
    assert "secrets.toml" in texts(at.info)
    assert not at.text_input, "no login form when no admin is configured"
    assert_read_only(at, app_env)


def test_wrong_password_is_refused_and_the_right_one_opens_management(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRONWIJZER_ADMIN_PASSWORD", ADMIN_PASSWORD)
    before = corpus_names(app_env)
    at = open_documents(start(), ADMIN_PASSWORD + "x")
    assert "Onjuist wachtwoord." in texts(at.error)
    assert_read_only(at, app_env)
    assert corpus_names(app_env) == before

    at.text_input(key="admin-password").set_value(ADMIN_PASSWORD)
    at.button(key="FormSubmitter:admin-login-Inloggen als beheerder").click().run()
    assert not at.error
    assert "add-file" in uploaders(at)
    # The password is kept nowhere in the session, not even in the login box.
    assert not [key for key, value in at.session_state.items() if ADMIN_PASSWORD in repr(value)]

    at.button(key="admin-logout").click().run()
    assert_read_only(at, app_env)


def test_password_from_streamlit_secrets(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRONWIJZER_ADMIN_PASSWORD", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["admin_password"] = "uit-de-secrets"
    at.run()
    at = open_documents(at, "uit-de-secrets")
    assert not at.error
    assert "add-file" in uploaders(at)


def test_password_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert password_matches("geheim", "geheim") and not password_matches("geheim", "Geheim")
    assert len(calls) == 2


# -- slowing down password guessing, audited logins, named admins ---------------------------
LOGIN = "FormSubmitter:admin-login-Inloggen als beheerder"


class Clock:
    """A clock the test moves forward: the throttle waits without the test sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def controlled_throttle(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The app's own process-wide throttle (same cache entry), on a clock the test moves."""
    clock = Clock()
    monkeypatch.setattr(login_throttle(settings), "clock", clock)
    return clock


def try_password(at: AppTest, password: str) -> str:
    at.text_input(key="admin-password").set_value(password)
    at.button(key=LOGIN).click().run()
    assert not at.exception, at.exception
    return texts(at.error)


def session_of(at: AppTest) -> str:
    return str(at.session_state["bw-session"])


def logins(settings: Settings) -> list[dict]:
    return [r for r in AuditLog(settings).records() if r["event"] == "login"]


def assert_burst_audited(records: list[dict]) -> None:
    """Ten wrong passwords, two refused unchecked, one login: each audited, no password."""
    outcomes = [r["outcome"] for r in records]
    assert outcomes == ["wrong"] * 3 + ["refused"] + ["wrong"] * 7 + ["refused", "ok"]
    wrong = [r for r in records if r["outcome"] == "wrong"]
    refused = [r for r in records if r["outcome"] == "refused"]
    assert [r["failures"] for r in wrong] == list(range(1, 11))
    assert [r["wait_s"] for r in refused] == [2, 60]
    assert all(r["who"].startswith("onbekend (sessie ") for r in wrong + refused)
    assert "actor" not in wrong[0] and records[-1]["actor"] == "beheerder"
    assert not any(ADMIN_PASSWORD in json.dumps(r) or "gok-" in json.dumps(r) for r in records)


def test_a_burst_of_wrong_passwords_slows_down_then_locks_out_and_is_audited(
    admin_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = controlled_throttle(admin_env, monkeypatch)
    at = open_documents(start())
    errors = [try_password(at, f"gok-{n}") for n in range(3)]
    assert errors[:2] == ["Onjuist wachtwoord.", "Onjuist wachtwoord."]  # typos cost nothing
    assert errors[2] == (
        "Onjuist wachtwoord. Te veel mislukte pogingen. Probeer het over 2 seconden opnieuw."
    )
    # During the wait not even the right password is checked.
    assert try_password(at, ADMIN_PASSWORD) == (
        "Te veel mislukte pogingen. Probeer het over 2 seconden opnieuw."
    )
    assert_read_only(at, admin_env)
    waits = []
    for n in range(3, 10):  # each wait is waited out, and each guess doubles the next
        clock.now += login_throttle(admin_env).check(session_of(at)).wait_s
        waits.append(try_password(at, f"gok-{n}"))
    assert "over 4 seconden" in waits[0] and "over 32 seconden" in waits[3]
    assert waits[-1] == (
        "Onjuist wachtwoord. Te veel mislukte pogingen: inloggen als beheerder is "
        "geblokkeerd. Probeer het over 15 minuten opnieuw."
    )
    clock.now += 14 * 60
    assert "over 1 minuut" in try_password(at, ADMIN_PASSWORD)
    assert_read_only(at, admin_env)

    clock.now += 60  # the lockout is over: the right password opens management
    assert try_password(at, ADMIN_PASSWORD) == ""
    assert "add-file" in uploaders(at)

    assert_burst_audited(logins(admin_env))


def test_new_sessions_do_not_escape_the_process_wide_count(
    admin_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = controlled_throttle(admin_env, monkeypatch)
    # A guesser who opens a fresh session for every guess: each session fails only once.
    errors = [try_password(open_documents(start()), f"gok-{n}") for n in range(10)]
    assert errors[:9] == ["Onjuist wachtwoord."] * 9
    assert errors[9].endswith("Probeer het over 1 seconde opnieuw.")
    fresh = open_documents(start())
    assert try_password(fresh, ADMIN_PASSWORD) == (
        "Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw."
    )
    clock.now += 1
    assert try_password(fresh, ADMIN_PASSWORD) == ""
    wrong = [r for r in logins(admin_env) if r["outcome"] == "wrong"]
    assert len({r["who"] for r in wrong}) == 10
    assert [r["process_failures"] for r in wrong] == list(range(1, 11))


def test_each_admin_has_a_password_and_is_named_in_the_audit_log(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRONWIJZER_ADMIN_PASSWORD", ADMIN_PASSWORD)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["admins"] = {"anna": "wachtwoord-van-anna", "bram": "wachtwoord-van-bram"}
    at.run()
    at = open_documents(at, "wachtwoord-van-bram")
    assert not at.error
    assert "Ingelogd als beheerder: bram" in texts(at.caption)
    [sync] = [b for b in at.button if "Index bijwerken" in b.label]
    sync.click().run()
    assert not at.exception, at.exception
    at.button(key="admin-logout").click().run()
    assert_read_only(at, app_env)
    at = open_documents(at, ADMIN_PASSWORD)  # the shared password: 'beheerder'
    assert "Ingelogd als beheerder: beheerder" in texts(at.caption)

    records = AuditLog(app_env).records()
    named = [(r["event"], r.get("outcome") or r.get("action"), r.get("actor")) for r in records]
    assert named == [
        ("login", "ok", "bram"),
        ("document", "Indexeren", "bram"),
        ("login", "logout", "bram"),
        ("login", "ok", "beheerder"),
    ]
    assert records[1]["ok"] is True
    assert "3 documenten" in records[1]["summary"]


def test_matching_admin_compares_every_password() -> None:
    admins = {"anna": "een", "bram": "twee", "carla": "een"}
    assert matching_admin("twee", admins) == "bram"
    assert matching_admin("een", admins) == "anna"  # the first match, yet all were compared
    assert matching_admin("drie", admins) is None and matching_admin("", admins) is None
