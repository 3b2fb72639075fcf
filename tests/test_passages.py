"""A passage runs on into the next chunk of its section: real corpus, real model."""

from __future__ import annotations

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.types import Chunk, DocumentInfo

DOC = DocumentInfo(doc_id="d.txt", title="D")


def test_followed_by_joins_the_texts_and_shifts_the_pages() -> None:
    first = Chunk("d:0", DOC, "Kop\n\nEerste alinea.", "Kop", 0, ((0, 3),))
    second = Chunk("d:1", DOC, "Tweede alinea. Op de volgende pagina.", "Kop", 1, ((0, 3), (15, 4)))
    joined = first.followed_by(second)
    assert joined.chunk_id == "d:0" and joined.order == 0
    assert joined.text == "Kop\n\nEerste alinea.\n\nTweede alinea. Op de volgende pagina."
    assert joined.page_at(joined.text.index("Tweede")) == 3
    assert joined.page_at(joined.text.index("Op de volgende")) == 4
    assert joined.pages == [3, 4]
    assert first.pieces() == [("d:0", 0, len(first.text))]
    pieces = joined.pieces()
    assert [joined.text[a:b] for _, a, b in pieces] == [first.text, second.text]
    assert joined.part_at(joined.text.index("Eerste"))[0] == "d:0"
    assert joined.part_at(joined.text.index("volgende"))[0] == "d:1"


def shown_chunks(kb: KnowledgeBase, text: str) -> list[str]:
    """The ids of the indexed chunks a passage text is made of, in order."""
    chunks = kb.all_chunks()
    ids, rest = [], text
    while rest:
        chunk = next(c for c in chunks if rest.startswith(c.text))
        ids.append(chunk.chunk_id)
        rest = rest[len(chunk.text) :].removeprefix("\n\n")
    return ids


def test_a_passage_is_its_chunk_or_its_chunk_and_the_next_of_the_section(
    corpus_kb: KnowledgeBase,
) -> None:
    limit = corpus_kb.settings.retrieval.passage_words
    by_id = {c.chunk_id: c for c in corpus_kb.all_chunks()}
    joined = 0
    for question in [
        "Welke projecten noemt het ziekenhuis waarin het met de eerste lijn samenwerkt?",
        "Welke voorwaarden stelt het contractvereiste?",
        "Hoe lang loopt de nieuwe betaaltitel?",
    ]:
        passages = corpus_kb.retrieve(question)
        assert len(passages) == corpus_kb.settings.retrieval.top_k
        seen: list[str] = []
        for passage in passages:
            ids = shown_chunks(corpus_kb, passage.chunk.text)
            assert ids[0] == passage.chunk.chunk_id
            if len(ids) == 2:
                joined += 1
                first, second = by_id[ids[0]], by_id[ids[1]]
                assert second.order == first.order + 1 and second.doc == first.doc
                assert second.section == first.section
                assert len(passage.chunk.text.split()) <= limit
            assert len(ids) <= 2
            seen += ids
        assert len(seen) == len(set(seen)), "a chunk is shown twice"
    assert joined


def test_the_answer_in_the_next_chunk_is_in_the_first_passage(corpus_kb: KnowledgeBase) -> None:
    # The chunk with the heading 'Voorbeelden uit consultatie: samenwerking 1e en 2e lijn'
    # matches the question; the projects are listed in the chunk after it.
    question = "Welke projecten noemt het ziekenhuis waarin het met de eerste lijn samenwerkt?"
    assert "COVID-thuis" in corpus_kb.retrieve(question)[0].chunk.text
    answer = corpus_kb.answer(question)
    cited = [c for c in answer.citations if "COVID-thuis" in c.passage]
    assert cited and all(c.quote in c.passage for c in answer.citations)


def test_passage_words_zero_shows_chunks_alone(corpus_index: Settings) -> None:
    settings = corpus_index.model_copy(
        update={"retrieval": corpus_index.retrieval.model_copy(update={"passage_words": 0})}
    )
    kb = KnowledgeBase(settings)
    texts = {c.text for c in kb.all_chunks()}
    passages = kb.retrieve(
        "Welke projecten noemt het ziekenhuis waarin het met de eerste lijn samenwerkt?"
    )
    assert all(p.chunk.text in texts for p in passages)
