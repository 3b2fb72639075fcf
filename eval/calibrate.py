"""Fit the abstention thresholds on a held-apart gold set (python -m eval calibrate).

The thresholds in AnswerSettings come from running this on eval/gold/calib.jsonl, a set
written for calibration only: never on dev.jsonl, whose scores are reported.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from bronwijzer.answering.abstain import should_abstain
from bronwijzer.answering.evidence import EvidenceCheck
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings_sections import AnswerSettings
from bronwijzer.text.normalize import detect_language
from eval.metrics import load_jsonl

# A false abstention hides an answer the documents do give; weigh it above a missed one.
FALSE_ABSTENTION_COST = 3.0


@dataclass(frozen=True)
class Observation:
    id: str
    answerable: bool
    language: str
    check: EvidenceCheck


def observe(kb: KnowledgeBase, gold_path: Path) -> list[Observation]:
    observations = []
    for item in load_jsonl(gold_path):
        passages = kb.retrieve(item["question"])
        check, _ = kb.evidence(item["question"], passages)
        observations.append(
            Observation(item["id"], bool(item["gold"]), detect_language(item["question"]), check)
        )
    return observations


def rates(observations: list[Observation], settings: AnswerSettings) -> tuple[float, float]:
    """(abstention on unanswerable, false abstention) under the given thresholds."""
    unanswerable = [o for o in observations if not o.answerable]
    answerable = [o for o in observations if o.answerable]
    abstain = {o.id: should_abstain(o.check, o.language, settings) for o in observations}
    hit = sum(abstain[o.id] for o in unanswerable) / max(len(unanswerable), 1)
    false = sum(abstain[o.id] for o in answerable) / max(len(answerable), 1)
    return hit, false


def fit(
    observations: list[Observation], base: AnswerSettings
) -> tuple[AnswerSettings, float, float]:
    """Grid search on the objective (abstention on unanswerable minus three times false
    abstention).

    Every setting within one question's worth of the best objective counts as a tie, and the
    tie closest to the current thresholds wins: with some twenty unanswerable questions, a
    threshold that one question moves past (a coverage of 0.193 against 0.194) is no evidence
    to move it, and a check that the set cannot tell apart at any value keeps its value
    instead of being switched off. Among equally close ties the lower thresholds win (abstain
    as little as possible).
    """
    grid = {
        "min_passage_coverage": [0.0, 0.1, 0.15, 0.2, 0.25, 0.3],
        "min_typed_coverage": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
        "min_dense_en": [0.70, 0.75, 0.78, 0.80, 0.82, 0.84],
        "min_name_share": [0.0, 0.4, 0.5, 0.6, 0.7, 0.8],
    }
    unanswerable = sum(not o.answerable for o in observations)
    one_question = 1.0 / max(unanswerable, 1)
    scored = []
    for values in itertools.product(*grid.values()):
        candidate = base.model_copy(update=dict(zip(grid, values, strict=True)))
        hit, false = rates(observations, candidate)
        change = sum(abs(getattr(candidate, k) - getattr(base, k)) for k in grid)
        scored.append((hit - FALSE_ABSTENTION_COST * false, change, values, candidate, hit, false))
    best = max(objective for objective, *_ in scored)
    ties = [row for row in scored if row[0] >= best - one_question - 1e-9]
    _, _, _, chosen, hit, false = min(ties, key=lambda row: (row[1], row[2]))
    return chosen, hit, false
