"""Eval harness: the scoring rules, and predict + score on a few real dev questions."""

from __future__ import annotations

import json
from pathlib import Path

from bronwijzer.knowledge import KnowledgeBase
from eval.__main__ import main as eval_main
from eval.metrics import aggregate, load_jsonl, quote_in, score_question
from eval.predict import predict

DEV = Path(__file__).resolve().parent.parent / "eval" / "gold" / "dev.jsonl"


def test_quote_matching_tolerates_dehyphenation_but_not_other_text() -> None:
    quote = "het ondersteunen van zorgverze- keraars bij de inkoop van zorg"
    passage = "Wij zien het ondersteunen van zorgverzekeraars bij de inkoop van zorg als taak."
    assert quote_in(quote, passage, limit=350)
    assert not quote_in(quote, "Iets heel anders over de Wlz en de Zvw.", limit=350)
    # Only the first `limit` words of a passage count.
    assert not quote_in(quote, "vulling " * 400 + passage, limit=350)


def test_aggregate_counts_abstention_and_ranks() -> None:
    gold = [
        {"id": "a", "gold": [{"doc": "d", "quote": "de looptijd is vijf jaar"}]},
        {"id": "b", "gold": []},
    ]
    preds = {
        "a": {
            "id": "a",
            "abstained": False,
            "citations": [{"text": "de looptijd is vijf jaar"}],
            "retrieved": [{"text": "iets anders"}, {"text": "De looptijd is vijf jaar."}],
            "latency_ms": 10,
        },
        "b": {"id": "b", "abstained": True, "citations": [], "retrieved": [], "latency_ms": 20},
    }
    metrics = aggregate([score_question(g, preds[g["id"]]) for g in gold])
    assert metrics["recall@1"] == 0.0 and metrics["recall@3"] == 1.0
    assert metrics["mrr@10"] == 0.5
    assert metrics["citation_hit"] == 1.0 and metrics["abstention_unanswerable"] == 1.0
    assert metrics["false_abstention"] == 0.0


def test_predict_and_score_on_dev_questions(
    corpus_kb: KnowledgeBase, tmp_path: Path, capsys: object
) -> None:
    gold_path = tmp_path / "gold.jsonl"
    rows = [r for r in load_jsonl(DEV) if r["id"] in {"dev-005", "dev-017", "dev-032"}]
    gold_path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    predict(corpus_kb, gold_path, out)
    predictions = load_jsonl(out)
    assert [p["id"] for p in predictions] == ["dev-005", "dev-017", "dev-032"]
    for prediction in predictions:
        assert set(prediction) >= {"id", "answer", "abstained", "citations", "retrieved"}
        assert len(prediction["retrieved"]) >= 10 and prediction["latency_ms"] > 0
        for citation in prediction["citations"]:
            assert set(citation) >= {"doc", "title", "page", "section", "text"}
    by_id = {p["id"]: p for p in predictions}
    assert by_id["dev-017"]["abstained"]  # asks for a euro amount the documents lack
    assert not by_id["dev-005"]["abstained"]
    assert eval_main(["score", "--gold", str(gold_path), "--pred", str(out)]) == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "recall@5" in printed and "abstention_unanswerable    1.000" in printed
