"""Masking personal data in questions before the audit and feedback logs keep them."""

from __future__ import annotations

import pytest

from bronwijzer.records.redact import is_bsn, redact


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("123456782", True),  # the standard test BSN: 9*1 + 8*2 + ... + 2*8 - 2 = 154 = 14*11
        ("111222333", True),
        ("12345672", True),  # eight digits: read with a leading zero
        ("123456789", False),
        ("000000000", False),
        ("1234567", False),
        ("12345678a", False),
    ],
)
def test_the_eleven_check(digits: str, valid: bool) -> None:
    assert is_bsn(digits) is valid


@pytest.mark.parametrize(
    ("question", "stored"),
    [
        ("Mijn BSN is 123456782, klopt dat?", "Mijn BSN is [BSN], klopt dat?"),
        ("bsn 1234.56.782.", "bsn [BSN]."),
        ("BSN: 123 456 782", "BSN: [BSN]"),
        ("bsn123456782", "bsn[BSN]"),
        ("jaar 2023 123456782", "jaar 2023 [BSN]"),
        # Not a valid BSN, but a run of 8-9 digits or a BSN's shape: masked all the same.
        ("klantnummer 12345678", "klantnummer [nummer]"),
        ("bsn 123 456 789", "bsn [nummer]"),
        ("mail j.de.vries@zorg-kantoor.nl", "mail [e-mail]"),
        ("bel 06-12345678 of +31 (0)6 1234 5678", "bel [telefoon] of [telefoon]"),
        ("of 020 - 123 45 67 of 0031201234567", "of [telefoon] of [telefoon]"),
        ("IBAN NL91 ABNA 0417 1643 00", "IBAN [IBAN]"),
    ],
)
def test_personal_numbers_and_addresses_are_masked(question: str, stored: str) -> None:
    assert redact(question) == stored


@pytest.mark.parametrize(
    "question",
    [
        "Geldt artikel 3.2.1 lid 4 van de Zvw in 2024?",
        "Wat gebeurt er tussen 2024 2025?",  # passes the 11-check by chance, yet two years
        "Per 12-03-2024 of 01.01.2025?",
        "Is het budget € 1.234.567,89 of 1.234.567.890 euro?",
        "Wat kost 1 uur wijkverpleging in 2025?",
    ],
)
def test_dates_amounts_and_article_numbers_are_kept(question: str) -> None:
    assert redact(question) == question
