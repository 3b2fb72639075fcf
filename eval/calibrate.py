"""Fit the abstention thresholds on a held-apart gold set (python -m eval calibrate).

The thresholds in AnswerSettings come from running this on eval/gold/calib.jsonl, a set
written for calibration only: never on dev.jsonl, whose scores are reported.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from bronwijzer.answer import should_abstain
from bronwijzer.evidence import EvidenceCheck
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import AnswerSettings
from bronwijzer.textnorm import detect_language

from .metrics import load_jsonl

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
    """Grid search; ties go to the lowest thresholds (abstain as little as possible)."""
    grid = {
        "min_passage_coverage": [0.0, 0.1, 0.15, 0.2, 0.25, 0.3],
        "min_typed_coverage": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
        "min_dense_en": [0.70, 0.75, 0.78, 0.80, 0.82, 0.84],
        "min_name_share": [0.0, 0.4, 0.5, 0.6, 0.7, 0.8],
    }
    best: tuple[float, AnswerSettings, float, float] | None = None
    for values in itertools.product(*grid.values()):
        candidate = base.model_copy(update=dict(zip(grid, values, strict=True)))
        hit, false = rates(observations, candidate)
        objective = hit - FALSE_ABSTENTION_COST * false
        if best is None or objective > best[0] + 1e-9:
            best = (objective, candidate, hit, false)
    assert best is not None
    return best[1], best[2], best[3]
