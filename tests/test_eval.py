"""Eval harness: the scoring rules, and predict + score on a few real dev questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bronwijzer.knowledge import KnowledgeBase
from eval.__main__ import main as eval_main
from eval.metrics import aggregate, load_jsonl, quote_in, score_question
from eval.predict import predict
from eval.sentences import sentence_ranks, summarise

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


def few_dev_questions() -> list[dict[str, Any]]:
    """The first two factual dev questions, then the first one the documents cannot answer."""
    dev = load_jsonl(DEV)
    return [r for r in dev if r["type"] == "factual"][:2] + [r for r in dev if not r["gold"]][:1]


def assert_prediction(prediction: dict[str, Any]) -> None:
    """A prediction in the format of shared/eval/README.md, its citations complete."""
    assert set(prediction) >= {"id", "answer", "abstained", "citations", "retrieved"}
    assert len(prediction["retrieved"]) >= 10
    assert prediction["latency_ms"] > 0
    for citation in prediction["citations"]:
        assert set(citation) >= {"doc", "title", "page", "section", "text"}


def test_predict_and_score_on_dev_questions(
    corpus_kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chosen = few_dev_questions()
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    predict(corpus_kb, gold_path, out)
    predictions = load_jsonl(out)
    assert [p["id"] for p in predictions] == [r["id"] for r in chosen]
    *answered, abstained = predictions
    for prediction in answered:
        assert_prediction(prediction)
        assert not prediction["abstained"] and prediction["citations"]
    assert_prediction(abstained)
    assert abstained["abstained"] and abstained["citations"] == []

    assert eval_main(["score", "--gold", str(gold_path), "--pred", str(out)]) == 0
    printed = dict(line.split() for line in capsys.readouterr().out.splitlines())
    assert printed["questions"] == "3"
    assert printed["recall@10"] == "1.000"
    assert printed["false_abstention"] == "0.000"
    assert printed["abstention_unanswerable"] == "1.000"


def test_sentence_ranks_find_the_answering_sentence_of_document_worded_questions(
    corpus_kb: KnowledgeBase, tmp_path: Path
) -> None:
    chosen = few_dev_questions()
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    ranks = sentence_ranks(corpus_kb, gold_path)
    # the unanswerable question has no answering sentence to rank
    assert [r.id for r in ranks] == [r["id"] for r in chosen if r["gold"]]
    for rank in ranks:
        assert rank.candidates > 0
        # worded like the document: its sentence is a candidate, in either order
        assert rank.by_score is not None and rank.by_similarity is not None
        assert 0 <= rank.by_score < rank.candidates
    summary = summarise(ranks)
    assert summary["questions"] == 2 and summary["among_candidates"] == 1.0
    assert summary["first_by_score"] <= summary["top3_by_score"] <= 1.0
