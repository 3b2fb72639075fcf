"""Run the real pipeline over a gold file and write predictions, one JSON object a line."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from bronwijzer.knowledge import KnowledgeBase
from eval.metrics import load_jsonl


def predict(
    kb: KnowledgeBase,
    gold_path: Path,
    out_path: Path | None,
    sample: int | None = None,
    seed: int = 0,
    verbose: bool = False,
) -> list[dict[str, Any]]:
    """Answer every gold question (or a seeded sample) and write the predictions."""
    gold = load_jsonl(gold_path)
    if sample is not None and sample < len(gold):
        gold = sorted(random.Random(seed).sample(gold, sample), key=lambda g: g["id"])
    kb.answer("warm-up")  # loads model and index outside the timed questions
    predictions = []
    for item in gold:
        answer = kb.answer(item["question"])
        prediction = answer.to_prediction(item["id"])
        predictions.append(prediction)
        if verbose:
            flag = "ABSTAIN" if answer.abstained else "answer "
            print(f"{item['id']} {flag} {answer.latency_ms:6.0f} ms  {item['question'][:70]}")
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with out_path.open("w", encoding="utf-8") as handle:
            for prediction in predictions:
                handle.write(json.dumps(prediction, ensure_ascii=False) + "\n")
    return predictions
