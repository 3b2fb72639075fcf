"""Follow-up rewriting: elliptic questions get the previous topic; whole questions stay."""

from __future__ import annotations

import pytest

from bronwijzer.retrieval.followup import is_follow_up, rewrite, standalone_question

PREVIOUS = "Geldt het eigen risico voor patiëntengroepsgebonden afstemming?"


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        (
            "En geldt dat ook voor de Wlz?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming ook voor de Wlz?",
        ),
        (
            "En voor de Wlz?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming ook voor de Wlz?",
        ),
        (
            "Ook voor gemeenten?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming ook voor gemeenten?",
        ),
        (
            "De Wlz?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming ook voor de Wlz?",
        ),
        (
            "Hoe zit het met de wijkverpleging?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming ook voor de "
            "wijkverpleging?",
        ),
        (
            "Geldt hetzelfde voor de Wlz?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming ook voor de Wlz?",
        ),
        (
            "Wie betaalt dat?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming, en wie betaalt dat?",
        ),
        (
            "En waarom?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming, en waarom?",
        ),
        (
            "Is dat definitief?",
            "Geldt het eigen risico voor patiëntengroepsgebonden afstemming, en is dat definitief?",
        ),
    ],
)
def test_follow_up_carries_the_previous_topic(follow_up: str, expected: str) -> None:
    assert is_follow_up(follow_up)
    assert standalone_question(follow_up, PREVIOUS) == expected


@pytest.mark.parametrize(
    "question",
    [
        "Wat is de Wlz?",
        "Klopt het dat de NZa een sectoroverstijgende betaaltitel voorstelt?",
        "Is het eigen risico van toepassing op de afstemming van zorg?",
        "Welke regels gelden voor zorgaanbieders die samenwerken?",
        "Mogen wij als zorgverzekeraar met de nieuwe betaaltitel ook de behandelingen betalen?",
        "Wanneer treedt de beleidsregel in werking?",
        "Is it true that the NZa proposes a new payment title?",
        "Which body sets the maximum tariffs for district nursing?",
        "Hoeveel geld is er beschikbaar voor de afstemming rond kwetsbare ouderen?",
    ],
)
def test_a_question_that_stands_on_its_own_is_unchanged(question: str) -> None:
    assert not is_follow_up(question)
    assert standalone_question(question, PREVIOUS) == question
    assert not rewrite(question, PREVIOUS).rewritten


def test_without_a_previous_question_nothing_changes() -> None:
    assert standalone_question("En geldt dat ook voor de Wlz?", None) == (
        "En geldt dat ook voor de Wlz?"
    )
    assert standalone_question("En voor de Wlz?", "   ") == "En voor de Wlz?"


def test_english_follow_ups_use_english_glue() -> None:
    previous = "Does the deductible apply to group coordination?"
    assert standalone_question("What about the Wlz?", previous) == (
        "Does the deductible apply to group coordination, also for the Wlz?"
    )
    assert standalone_question("And who pays for it?", previous) == (
        "Does the deductible apply to group coordination, and who pays for it?"
    )


def test_names_keep_their_capitals_and_whitespace_is_normalised() -> None:
    previous = "Wat stelt de NZa voor over de betaaltitel?"
    assert standalone_question("  En  NZa-tarieven?  ", previous) == (
        "Wat stelt de NZa voor over de betaaltitel, ook voor NZa-tarieven?"
    )
    assert rewrite("  En voor de Wlz? ", previous).asked == "En voor de Wlz?"


def test_a_chain_of_follow_ups_builds_on_the_last_standalone_question() -> None:
    first = standalone_question("En voor de Wlz?", PREVIOUS)
    second = standalone_question("Wie betaalt dat?", first)
    assert second.startswith(first.rstrip("?"))
    assert second.endswith("en wie betaalt dat?")
