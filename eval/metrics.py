"""Scoring as described in shared/eval/README.md: a typed per-question result, a pure aggregate."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RETRIEVED_WORDS = 350
CITATION_WORDS = 250
SHOWN_WORDS = 150  # a shown quote counts up to a paragraph, not a section
MATCH_SHARE = 0.8
VERDICTS = ("onder voorwaarden", "ja", "nee")  # longest first: 'ja, onder voorwaarden'


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: geen geldige JSON ({exc})") from exc
    return rows


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two word lists."""
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def quote_in(quote: str, passage: str, limit: int) -> bool:
    """At least 80% of the quote's words occur in order in the passage's first `limit` words."""
    q = words(quote)
    if not q:
        return False
    return _lcs(q, words(passage)[:limit]) >= MATCH_SHARE * len(q)


@dataclass(frozen=True)
class QuestionResult:
    id: str
    type: str
    lang: str
    answerable: bool
    first_hit_rank: int | None  # 1-based rank of the first retrieved passage with a gold quote
    quotes_total: int
    quotes_in_top5: int
    abstained: bool
    citations: int
    citations_correct: int
    latency_ms: float
    shown: int = 0  # quotes the answer shows
    shown_gold: int = 0  # shown quotes that hold, or are part of, a gold quote
    gold_shown: int = 0  # gold quotes that some shown quote holds
    lead_gold: bool = False  # the first shown quote is gold
    verdict_gold: str | None = None
    verdict_said: str | None = None
    answer_words: int = 0  # words before any 'Bronnen' block


def read_verdict(prediction: dict[str, Any]) -> str | None:
    """The verdict a prediction gives: its `verdict`, or else what line 1 of its answer says."""
    said = prediction.get("verdict")
    if said:
        return str(said).lower()
    first = (str(prediction.get("answer", "")).strip().splitlines() or [""])[0].lower()
    for verdict in VERDICTS:
        if re.search(rf"\b{verdict}\b", first):
            return verdict
    return None


def answer_words(answer: str) -> int:
    """Words of the answer text before any 'Bronnen' / 'Sources' block."""
    body = re.split(r"^(?:Bronnen|Sources):?\s*$", answer, maxsplit=1, flags=re.M)[0]
    return len(body.split())


def holds_gold(shown: str, quotes: list[str]) -> bool:
    """Does a shown quote hold a gold quote, or is it part of one?"""
    return any(quote_in(q, shown, SHOWN_WORDS) or quote_in(shown, q, len(words(q))) for q in quotes)


def _first_hit(quotes: list[str], retrieved: list[str]) -> int | None:
    """1-based rank of the first retrieved passage that holds a gold quote."""
    for rank, text in enumerate(retrieved, start=1):
        if any(quote_in(q, text, RETRIEVED_WORDS) for q in quotes):
            return rank
    return None


def _quotes_found(quotes: list[str], passages: list[str], limit: int) -> int:
    """How many gold quotes some passage holds."""
    return sum(any(quote_in(q, p, limit) for p in passages) for q in quotes)


def _passages_with_gold(passages: list[str], quotes: list[str], limit: int) -> int:
    """How many passages hold some gold quote."""
    return sum(any(quote_in(q, p, limit) for q in quotes) for p in passages)


def score_question(gold: dict[str, Any], pred: dict[str, Any]) -> QuestionResult:
    quotes = [g["quote"] for g in gold.get("gold", [])]
    retrieved = [r.get("text", "") for r in pred.get("retrieved", [])][:10]
    citations = [c.get("text", "") for c in pred.get("citations", [])]
    shown = [str(c.get("quote") or c.get("text", "")) for c in pred.get("citations", [])]
    gold_flags = [holds_gold(s, quotes) for s in shown] if quotes else [False] * len(shown)
    return QuestionResult(
        id=gold["id"],
        type=gold.get("type", ""),
        lang=gold.get("lang", ""),
        answerable=bool(quotes),
        first_hit_rank=_first_hit(quotes, retrieved),
        quotes_total=len(quotes),
        quotes_in_top5=_quotes_found(quotes, retrieved[:5], RETRIEVED_WORDS),
        abstained=bool(pred.get("abstained")),
        citations=len(citations),
        citations_correct=_passages_with_gold(citations, quotes, CITATION_WORDS),
        latency_ms=float(pred.get("latency_ms", 0.0)),
        shown=len(shown),
        shown_gold=sum(gold_flags),
        gold_shown=_quotes_found(quotes, shown, SHOWN_WORDS),
        lead_gold=bool(gold_flags and gold_flags[0]),
        verdict_gold=gold.get("verdict"),
        verdict_said=read_verdict(pred),
        answer_words=answer_words(str(pred.get("answer", ""))),
    )


def _share(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def aggregate(results: list[QuestionResult]) -> dict[str, float]:
    """The metrics of shared/eval/README.md over a list of per-question results."""
    latencies = [r.latency_ms for r in results]
    return {
        "questions": len(results),
        **retrieval_metrics(results),
        **citation_metrics(results),
        **answer_metrics(results),
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
    }


def retrieval_metrics(results: list[QuestionResult]) -> dict[str, float]:
    """Where the first gold passage ranks, and how many gold quotes the top 5 hold."""
    answerable = [r for r in results if r.answerable]
    ranks = [r.first_hit_rank for r in answerable]
    metrics = {
        f"recall@{k}": _share(sum(rank is not None and rank <= k for rank in ranks), len(ranks))
        for k in (1, 3, 5, 10)
    }
    metrics["mrr@10"] = _share(sum(1 / rank for rank in ranks if rank), len(ranks))
    metrics["quote_recall@5"] = _share(
        sum(r.quotes_in_top5 for r in answerable), sum(r.quotes_total for r in answerable)
    )
    return metrics


def citation_metrics(results: list[QuestionResult]) -> dict[str, float]:
    """Whether the citations hold gold quotes, and when the answer abstained."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    answered = [r for r in answerable if not r.abstained]
    return {
        "citation_hit": _share(sum(r.citations_correct > 0 for r in answerable), len(answerable)),
        "citation_precision": _share(
            sum(r.citations_correct for r in answered), sum(r.citations for r in answered)
        ),
        "false_abstention": _share(sum(r.abstained for r in answerable), len(answerable)),
        "abstention_unanswerable": _share(
            sum(r.abstained for r in unanswerable), len(unanswerable)
        ),
    }


def answer_metrics(results: list[QuestionResult]) -> dict[str, float]:
    """What a reader sees (shared/eval/README.md, 'Answer-level metrics')."""
    answerable = [r for r in results if r.answerable]
    answered = [r for r in answerable if not r.abstained]
    with_verdict = [r for r in results if r.verdict_gold]
    return {
        "shown_recall": _share(
            sum(_share(r.gold_shown, r.quotes_total) for r in answerable), len(answerable)
        ),
        "shown_precision": _share(
            sum(r.shown_gold for r in results), sum(r.shown for r in results)
        ),
        "lead_hit": _share(sum(r.lead_gold for r in answered), len(answered)),
        "verdict_accuracy": _share(
            sum(r.verdict_said == r.verdict_gold for r in with_verdict), len(with_verdict)
        ),
        "answer_words_p50": statistics.median([r.answer_words for r in results]) if results else 0,
    }


def score_files(gold_path: Path, pred_path: Path) -> tuple[dict[str, float], list[QuestionResult]]:
    gold = load_jsonl(gold_path)
    preds = {p["id"]: p for p in load_jsonl(pred_path)}
    missing = [g["id"] for g in gold if g["id"] not in preds]
    if missing:
        raise ValueError(f"{pred_path}: geen voorspelling voor {', '.join(missing[:5])}…")
    results = [score_question(g, preds[g["id"]]) for g in gold]
    return aggregate(results), results


def format_metrics(metrics: dict[str, float]) -> str:
    lines = []
    for key, value in metrics.items():
        whole = key in {"questions", "chunks", "queries", "answer_words_p50"} or key.endswith("_ms")
        shown = f"{value:.0f}" if whole else f"{value:.3f}"
        lines.append(f"{key:26} {shown}")
    return "\n".join(lines)
