"""Fitting the abstention thresholds: one question's worth of evidence moves nothing."""

from __future__ import annotations

from bronwijzer.answering.evidence import EvidenceCheck
from bronwijzer.settings_sections import AnswerSettings
from eval.calibrate import Observation, fit, rates


def observation(qid: str, answerable: bool, typed: float, name_share: float = 1.0) -> Observation:
    check = EvidenceCheck(
        passage_coverage=0.6,
        sentence_coverage=0.6,
        typed_coverage=typed,
        typed_present=True,
        dense_top=0.85,
        expected=("count",),
        name_share=name_share,
    )
    return Observation(qid, answerable, "nl", check)


def test_a_threshold_one_question_moves_past_stays() -> None:
    current = AnswerSettings(min_typed_coverage=0.1, min_name_share=0.8)
    # 0.2 would catch one more unanswerable question (0.193) and nothing else: no evidence
    observations = [
        observation("u1", False, 0.05),
        observation("u2", False, 0.193),
        observation("a1", True, 0.45),
        observation("a2", True, 0.6),
    ]
    fitted, hit, false = fit(observations, current)
    assert fitted.min_typed_coverage == 0.1
    assert (hit, false) == rates(observations, fitted) == (0.5, 0.0)


def test_a_clear_gain_moves_the_threshold() -> None:
    current = AnswerSettings(min_typed_coverage=0.1, min_name_share=0.8)
    # three unanswerable questions between 0.1 and 0.2, every answerable one above 0.4
    observations = [observation(f"u{i}", False, 0.15 + i / 100) for i in range(3)]
    observations += [observation("u9", False, 0.45)]
    observations += [observation(f"a{i}", True, 0.45 + i / 10) for i in range(3)]
    fitted, hit, false = fit(observations, current)
    assert fitted.min_typed_coverage == 0.2
    assert (hit, false) == (0.75, 0.0)


def test_a_check_the_set_cannot_tell_apart_keeps_its_value() -> None:
    # No 'welke organisatie' question at all: every name-share threshold scores the same,
    # and the lowest one would switch the check off.
    current = AnswerSettings(min_typed_coverage=0.1, min_name_share=0.6)
    observations = [observation("u1", False, 0.05), observation("a1", True, 0.5)]
    fitted, _, _ = fit(observations, current)
    assert fitted.min_name_share == 0.6


def test_a_false_abstention_is_removed_when_the_data_says_so() -> None:
    current = AnswerSettings(min_typed_coverage=0.1, min_name_share=0.8)
    # an answerable organisation question with a name share of 0.66 abstains at 0.8
    observations = [
        observation("u1", False, 0.05),
        observation("u2", False, 0.5, name_share=0.3),
        observation("a1", True, 0.5, name_share=0.66),
        observation("a2", True, 0.5),
    ]
    fitted, hit, false = fit(observations, current)
    assert 0.3 < fitted.min_name_share <= 0.66
    assert (hit, false) == (1.0, 0.0)
