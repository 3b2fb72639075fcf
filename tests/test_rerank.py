"""Re-ranking of the first fused passages by how much of the question they hold."""

from __future__ import annotations

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.retrieval.ordering import decisions_first
from bronwijzer.retrieval.rerank import rerank
from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.settings import Settings
from bronwijzer.settings_sections import RetrievalSettings
from bronwijzer.text.domain import load_domain
from bronwijzer.text.normalize import FoldingStemmer, content_terms, dictionary_form
from bronwijzer.types import Chunk, DocumentInfo, Passage

DOC = DocumentInfo(doc_id="brief.txt", title="Brief", date="2024")
TEXTS = [
    "De betaaltitel wordt besproken in het overleg met de sector. Partijen zijn positief.",
    "Het eigen risico geldt niet: de verzekerde betaalt geen eigen risico voor afstemming.",
    "De zorgverzekeraar maakt afspraken met aanbieders over de inzet van middelen.",
    "Een overzicht van de planning volgt in het voorjaar na overleg met de sector.",
]


def passages() -> tuple[list[Passage], TermWeights]:
    chunks = [
        Chunk(chunk_id=f"c{i}", doc=DOC, text=text, section="", order=i)
        for i, text in enumerate(TEXTS)
    ]
    weights = TermWeights(chunks, FoldingStemmer())
    # fused order as RRF (k=5) would give for ranks 1..4 in both rankings
    fused = [Passage(chunk=c, score=2 / (5 + rank)) for rank, c in enumerate(chunks, start=1)]
    return fused, weights


def terms(question: str, weights: TermWeights) -> list[str]:
    return weights.known(content_terms(question, weights.stemmer))


def test_passage_holding_the_question_moves_up_within_the_depth() -> None:
    fused, weights = passages()
    question = terms("Betaalt de verzekerde eigen risico voor de afstemming?", weights)
    ranked = rerank(fused, question, weights, RetrievalSettings(rerank_depth=3))
    assert [p.chunk.chunk_id for p in ranked] == ["c1", "c0", "c2", "c3"]
    scores = [p.score for p in ranked]
    assert scores == sorted(scores, reverse=True)  # still a ranking, best first


def test_passages_below_the_depth_keep_their_place() -> None:
    fused, weights = passages()
    question = terms("Wanneer volgt de planning in het voorjaar?", weights)  # only c3 has it
    ranked = rerank(fused, question, weights, RetrievalSettings(rerank_depth=3))
    assert [p.chunk.chunk_id for p in ranked] == ["c0", "c1", "c2", "c3"]
    deeper = rerank(fused, question, weights, RetrievalSettings(rerank_depth=4))
    assert deeper[0].chunk.chunk_id == "c3"


def test_depth_zero_or_no_known_terms_leaves_the_fused_order() -> None:
    fused, weights = passages()
    question = terms("Betaalt de verzekerde eigen risico?", weights)
    off = RetrievalSettings(rerank_depth=0, rerank_tail_weight=0.0)
    assert rerank(fused, question, weights, off) == fused
    assert rerank(fused, [], weights, RetrievalSettings(rerank_depth=3)) == fused


def test_a_deep_passage_holding_the_question_competes_for_the_last_places() -> None:
    fused, weights = passages()
    question = terms("Wanneer volgt de planning in het voorjaar?", weights)  # only c3 has it
    settings = RetrievalSettings(top_k=3, rerank_depth=0, rerank_keep=2, rerank_tail_weight=1.0)
    ranked = rerank(fused, question, weights, settings)
    assert [p.chunk.chunk_id for p in ranked] == ["c0", "c1", "c3"]  # c3 beats c2, not c0/c1
    off = settings.model_copy(update={"rerank_tail_weight": 0.0})
    assert [p.chunk.chunk_id for p in rerank(fused, question, weights, off)] == ["c0", "c1", "c2"]


def test_knowledge_base_returns_the_reranked_order(corpus_index: Settings) -> None:
    question = "Welke voorwaarden stelt het contractvereiste?"
    settings = corpus_index.retrieval.model_copy(update={"passage_words": 0})  # chunks alone
    kb = KnowledgeBase(corpus_index.model_copy(update={"retrieval": settings}))
    pool = kb.retriever().retrieve(question, limit=settings.rerank_pool)
    ranked = kb.retrieve(question)
    ids = [p.chunk.chunk_id for p in ranked]
    assert len(ids) == settings.top_k and set(ids) <= {p.chunk.chunk_id for p in pool}
    # the fused pool re-ranked: the top re-ordered, the places below it kept ... (the
    # question has no abbreviation or compound to widen: its word query is itself)
    weights = TermWeights(kb.all_chunks(), FoldingStemmer())
    reranked = rerank(pool, terms(question, weights), weights, settings, limit=settings.rerank_pool)
    depth, keep = settings.rerank_depth, settings.rerank_keep
    assert {p.chunk.chunk_id for p in reranked[:depth]} == {p.chunk.chunk_id for p in pool[:depth]}
    assert [p.chunk.chunk_id for p in reranked[depth:keep]] == [
        p.chunk.chunk_id for p in pool[depth:keep]
    ]
    # ... then the deciding documents' passages before the proposal's (the question names
    # no proposal): that is the order returned
    expected = decisions_first(question, reranked, settings.proposal_weight)[: settings.top_k]
    assert ids == [p.chunk.chunk_id for p in expected]
    assert ids != [p.chunk.chunk_id for p in reranked[: settings.top_k]]  # it did move some
    # a proposal's passage stays above a decision's only where its score, scaled by
    # proposal_weight, is still higher; passages of one kind keep the re-ranked order
    domain = load_domain()

    def weighted(passage: Passage) -> float:
        proposal = domain.is_proposal(passage.chunk.doc.status)
        return passage.score * (settings.proposal_weight if proposal else 1.0)

    assert [weighted(p) for p in ranked] == sorted((weighted(p) for p in ranked), reverse=True)
    for proposal in (True, False):
        kind = [p for p in ranked if domain.is_proposal(p.chunk.doc.status) == proposal]
        assert kind, "both kinds are among the passages"
        assert [p.score for p in kind] == sorted((p.score for p in kind), reverse=True)


def test_compounds_the_index_lacks_are_split_into_known_words() -> None:
    _, weights = passages()  # the index knows 'eigen', 'risico', 'afstemming', 'overleg' ...
    assert weights.compound_parts("Geldt het risicoafstemming-overleg?") == [
        "risico",
        "afstemming",
    ]
    assert weights.compound_parts("Wie betaalt het sectoroverleg?") == ["sector", "overleg"]
    # known words and words without two known parts stay whole
    assert weights.compound_parts("Wat zegt de betaaltitel over afstemming?") == []
    assert weights.compound_parts("Wie betaalt de kwaliteitsmonitor?") == []


def test_a_compound_question_finds_the_passages_with_its_parts(corpus_kb: KnowledgeBase) -> None:
    # 'betaaltitelvoorwaarden' occurs nowhere in the corpus; 'betaaltitel' and 'voorwaarden' do.
    question = "Welke betaaltitelvoorwaarden gelden er?"

    def with_both(passages: list[Passage]) -> int:
        texts = [p.chunk.text.lower() for p in passages[:5]]
        return sum("betaaltitel" in t and "voorwaarden" in t for t in texts)

    as_asked = corpus_kb.retriever().retrieve(question)  # fusion on the whole word only
    assert with_both(corpus_kb.retrieve(question)) > with_both(as_asked)


def test_split_verbs_are_joined_as_the_index_writes_them() -> None:
    texts = [
        "De NZa zal de betaaltitel vaststellen na de voorhang.",
        "De evaluatie wordt uitgevoerd door een onderzoeksbureau.",
        "Partijen zorgen voor afstemming van zorg en ondersteuning.",
    ]
    chunks = [Chunk(f"v{i}", DOC, text, "", i) for i, text in enumerate(texts)]
    weights = TermWeights(chunks, FoldingStemmer())
    assert weights.separable_verbs("Wie stelt de betaaltitel vast?") == ["vaststellen"]
    # the index's participle 'uitgevoerd' and the infinitive share a stem (dictionary_form)
    stem = weights.stemmer.stem
    assert [stem(w) for w in weights.separable_verbs("Wie voert de evaluatie uit?")] == [
        stem("uitgevoerd")
    ]
    assert weights.separable_verbs("Stemmen de partijen de zorg af?") == [
        "afstemmen"
    ]  # one per stem
    # a particle without a verb the index knows joined to it adds nothing
    assert weights.separable_verbs("Valt dit op?") == []
    assert weights.separable_verbs("Geldt de betaaltitel voor de Wlz?") == []


def test_a_split_verb_question_finds_the_joined_verb(corpus_kb: KnowledgeBase) -> None:
    # The Kamerbrief writes 'De NZa zal vervolgens een betaaltitel vaststellen …'.
    question = "Wie stelt de nieuwe betaaltitel formeel vast?"

    def rank(passages: list[Passage]) -> int:
        return next(
            (i for i, p in enumerate(passages) if "betaaltitel vaststellen" in p.chunk.text), 99
        )

    as_asked = corpus_kb.retriever().retrieve(question)
    assert rank(corpus_kb.retrieve(question)) < min(rank(as_asked), 5)


def test_inflections_snowball_keeps_meet_their_dictionary_form() -> None:
    # Snowball leaves participles and forms in -t whole; the lemma reads them as the verb.
    stem = FoldingStemmer().stem
    assert stem("onderbouwd") == stem("onderbouwen")
    assert stem("bepaald") == stem("bepaalt") == stem("bepalen")
    assert stem("vastgesteld") == stem("vaststellen")
    assert stem("geëvalueerd") == stem("evalueren")
    # and the -s plural of a noun ending in a vowel, which Snowball keeps
    assert stem("reacties") == stem("reactie")
    # only infinitives are taken from the dictionary: nouns stay themselves
    assert stem("passen") != stem("pas")
    assert stem("tijd") == "tiid"  # OCR-folded, not read as another word
    assert dictionary_form("contract") == "contract"


def test_a_participle_question_finds_the_infinitive_and_back(corpus_kb: KnowledgeBase) -> None:
    # The Kamerbrief writes 'De behoefte aan de afstemming kan bijvoorbeeld worden onderbouwd
    # door te verwijzen naar een regioplan'.
    question = "Hoe onderbouwen partijen de behoefte?"
    sentence = "worden onderbouwd door te verwijzen"
    retriever = corpus_kb.retriever()
    first_word_match = retriever.chunks[retriever.lexical(question)[0][0]]
    assert sentence in first_word_match.text  # 7th without the lemma
    assert sentence in corpus_kb.retrieve(question)[0].chunk.text
