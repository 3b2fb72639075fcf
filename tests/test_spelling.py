"""Typing errors in questions: read as the indexed word they are one or two edits from."""

from __future__ import annotations

from pathlib import Path

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.text.spelling import Speller, corrected, suspects
from eval.__main__ import main as eval_main
from eval.metrics import load_jsonl

TEXTS = [
    "Het traject richting een nieuwe betaaltitel wordt voortgezet.",
    "De NZa ontving 326 reacties op de openbare consultatie.",
    "Voorts is een vergoeding mogelijk.",  # one and two edits from 'voort' and 'vergoeden'
]


def _nothing_known(word: str) -> bool:
    return False


def _corrections(speller: Speller, question: str) -> list[tuple[str, str]]:
    return [(c.typed, c.read_as) for c in speller.corrections(suspects(question, _nothing_known))]


def test_a_typing_error_is_read_as_the_nearest_indexed_word() -> None:
    speller = Speller(TEXTS)
    question = "Hoe verloopt het trajcet van de betaaltitl?"
    assert _corrections(speller, question) == [
        ("trajcet", "traject"),
        ("betaaltitl", "betaaltitel"),
    ]
    found = speller.corrections(suspects(question, _nothing_known))
    assert corrected(question, found) == "Hoe verloopt het traject van de betaaltitel?"
    # the first letter as typed, and its case kept
    assert _corrections(speller, "Reaacties?") == [("Reaacties", "Reacties")]


def test_real_words_abbreviations_and_known_forms_are_left_alone() -> None:
    speller = Speller(TEXTS)
    # 'voort' and 'vergoeden' are Dutch (no document here uses them); 'ZVWWLZ' is a code
    question = "Gaat het voort, en mag ik dat vergoeden onder ZVWWLZ?"
    assert suspects(question, _nothing_known) == []
    # a word the index holds in another form (its stem, its parts) is not a typing error
    assert suspects("Het trajcet?", lambda word: word == "trajcet") == []
    # nothing indexed within two edits: left as typed
    assert _corrections(speller, "Wat doet een quokkaa?") == []


def test_a_question_with_typing_errors_finds_what_the_clean_one_finds(
    corpus_kb: KnowledgeBase,
) -> None:
    clean = corpus_kb.answer("Hoeveel reacties ontving de NZa op de consultatie?")
    typed = corpus_kb.answer("Hoeveel reaacties ontving de NZa op de consultaite?")
    assert [p.chunk.chunk_id for p in typed.passages[:3]] == [
        p.chunk.chunk_id for p in clean.passages[:3]
    ]
    assert typed.text.splitlines()[0] == clean.text.splitlines()[0]  # '… 326 reacties [n]'
    assert typed.text.splitlines()[-1] == (
        "Gelezen: ‘reaacties’ als ‘reacties’, ‘consultaite’ als ‘consultatie’."
    )
    assert typed.question == "Hoeveel reaacties ontving de NZa op de consultaite?"  # as asked
    assert "Gelezen" not in clean.text
    # English questions are not read as Dutch words
    english = corpus_kb.answer("From when can the new paymnet title be used?")
    assert "Gelezen" not in english.text


def test_eval_writes_the_same_typing_errors_for_the_same_seed(tmp_path: Path) -> None:
    dev = Path(__file__).resolve().parent.parent / "eval" / "gold" / "dev.jsonl"
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert eval_main(["typos", "--gold", str(dev), "--out", str(first)]) == 0
    assert eval_main(["typos", "--gold", str(dev), "--out", str(second)]) == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    typed, clean = load_jsonl(first), load_jsonl(dev)
    assert [r["gold"] for r in typed] == [r["gold"] for r in clean]
    changed = [t["question"] for t, c in zip(typed, clean, strict=True) if t != c]
    assert len(changed) > len(clean) / 2
