"""The knowledge base handle: model and index loaded once, answers on demand.

A question goes: cleaned (`retrieval.query`) → read as searched, typing errors corrected
(`retrieval.loaded`) → retrieved, re-ranked and re-ordered (`retrieval`) → its evidence
checked (`answering.evidence`) → composed from the sentences, or written by the model and
verified (`answering`) → an `Answer`. `KnowledgeBase.answer` is that flow.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from llama_index.core.base.embeddings.base import BaseEmbedding

from bronwijzer.answering.abstain import abstention_text, should_abstain
from bronwijzer.answering.answer_types import expected_types
from bronwijzer.answering.compose import compose_answer
from bronwijzer.answering.evidence import EvidenceCheck, check_evidence, unknown_event
from bronwijzer.answering.llm import LLMError
from bronwijzer.answering.question import read_question
from bronwijzer.answering.synthesis import model_answer
from bronwijzer.errors import ModelError
from bronwijzer.index.embedding import load_embedding
from bronwijzer.index.generations import Generation
from bronwijzer.index.store import IndexStore
from bronwijzer.retrieval.hybrid import HybridRetriever
from bronwijzer.retrieval.loaded import LoadedGeneration
from bronwijzer.retrieval.ordering import (
    decisions_first,
    defining_sentence,
    definitions_first,
    with_continuations,
)
from bronwijzer.retrieval.query import asks_about_proposal, clean_question, key_terms, word_query
from bronwijzer.retrieval.rerank import rerank
from bronwijzer.retrieval.sentences import Sentence, score_sentences
from bronwijzer.settings import Settings
from bronwijzer.text.domain import load_domain
from bronwijzer.text.normalize import FoldingStemmer, content_terms, detect_language
from bronwijzer.text.spelling import spelling_note
from bronwijzer.types import Answer, Chunk, Citation, DocumentInfo, Passage

log = logging.getLogger(__name__)


@dataclass
class _Written:
    """An answer's text and what it rests on, before it is dated and measured."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    verdict: str | None = None
    path: str = "extractive"
    model_notice: str = ""
    dropped_claims: int = 0


class KnowledgeBase:
    """Answers questions over the active index generation; safe to share between threads."""

    def __init__(
        self,
        settings: Settings,
        embedding: BaseEmbedding | None = None,
        store: IndexStore | None = None,
    ) -> None:
        self.settings = settings
        # A reader: while the index is damaged or lost it answers from the newest backup.
        self.store = store or IndexStore(settings, read_backup=True)
        self._embedding = embedding
        self._loaded: LoadedGeneration | None = None
        self._lock = threading.Lock()
        self._stemmer = FoldingStemmer()

    @property
    def embedding(self) -> BaseEmbedding:
        if self._embedding is None:
            self._embedding = load_embedding(self.settings.embed_model, self.settings.embeddings)
        return self._embedding

    def _current(self) -> LoadedGeneration:
        """The active generation, loaded; reloaded after a re-index. Reads the manifest, so
        a question calls it once and passes what it returns on."""
        generation = self.store.require_active()
        loaded = self._loaded
        if loaded is not None and loaded.pointer == generation.name:
            return loaded
        with self._lock:
            if self._loaded is None or self._loaded.pointer != generation.name:
                # checked once per pointer
                self._loaded = self._load(self.store.usable(generation), generation.name)
            return self._loaded

    def _load(self, generation: Generation, pointer: str) -> LoadedGeneration:
        if generation.embed_model != self.settings.embedding_id:
            raise ModelError(
                f"De index is gemaakt met model '{generation.embed_model}', maar ingesteld is "
                f"'{self.settings.embedding_id}'. Draai python -m ingest opnieuw."
            )
        retriever = HybridRetriever(self.store, generation, self.embedding, self.settings.retrieval)
        loaded = LoadedGeneration(retriever, self._stemmer, pointer)
        log.info("Loaded generation %s (%d chunks)", generation.name, len(retriever.chunks))
        return loaded

    # -- public API ------------------------------------------------------------------------
    def retriever(self) -> HybridRetriever:
        """The retriever over the active generation (all its chunks are in memory)."""
        return self._current().retriever

    @property
    def notice(self) -> str | None:
        """Set while an older copy is used because the index is damaged or lost."""
        return self.store.notice

    @property
    def generation(self) -> str:
        return self._current().retriever.generation.name

    def documents(self) -> list[DocumentInfo]:
        """The indexed documents with their metadata, newest first."""
        return self._current().documents()

    def all_chunks(self) -> list[Chunk]:
        """Every chunk of the active generation, per document in reading order."""
        return self._current().all_chunks()

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """All chunks of one document in reading order (for showing a source in context)."""
        chunks = self._current().retriever.chunks.values()
        return sorted((c for c in chunks if c.doc.doc_id == doc_id), key=lambda c: c.order)

    def retrieve(self, question: str, doc_ids: Sequence[str] | None = None) -> list[Passage]:
        text = clean_question(question, self.settings.answer.max_question_chars)
        loaded = self._current()
        return self._retrieve(loaded.as_read(text, detect_language(text))[0], doc_ids, loaded)

    def answer(
        self,
        question: str,
        doc_ids: Sequence[str] | None = None,
        on_draft: Callable[[str], None] | None = None,
    ) -> Answer:
        """A grounded, cited answer, or an abstention that still lists the nearest passages.

        `on_draft`: with a model endpoint set, its reply is streamed and each piece handed
        to this (from a worker thread) before it is verified."""
        started = time.perf_counter()
        typed = clean_question(question, self.settings.answer.max_question_chars)
        loaded = self._current()
        language = detect_language(typed)
        text, corrections = loaded.as_read(typed, language)
        passages = self._retrieve(text, doc_ids, loaded)
        check, sentences = self.evidence(text, passages, loaded)
        abstained = not sentences or should_abstain(check, language, self.settings.answer)
        if abstained:
            written = _Written(abstention_text(language, check.unknown_term, check.topicless))
        else:
            written = self._composed(text, language, passages, sentences, loaded)
            if self.settings.llm.enabled:
                written = self._model_written(text, language, passages, written, on_draft)
        if corrections:
            written.text += "\n" + spelling_note(corrections)
        return Answer(
            question=typed,
            text=written.text,
            abstained=abstained,
            citations=written.citations,
            passages=passages,
            language=language,
            latency_ms=(time.perf_counter() - started) * 1000,
            settings_hash=self.settings.fingerprint(),
            generation=loaded.retriever.generation.name,
            verdict=written.verdict,
            path=written.path,
            model_notice=written.model_notice,
            dropped_claims=written.dropped_claims,
        )

    def evidence(
        self, question: str, passages: list[Passage], loaded: LoadedGeneration | None = None
    ) -> tuple[EvidenceCheck, list[Sentence]]:
        """Whether the passages hold the question's key terms, and their sentences scored."""
        loaded = loaded or self._current()
        terms = key_terms(question, loaded.weights, self._stemmer)
        sentences = score_sentences(
            passages,
            terms,
            loaded.weights,
            self.settings.answer.evidence_passages,
            join_back=bool({"name", "party"} & set(expected_types(question))),
        )
        return check_evidence(passages, sentences, terms, loaded.weights, question), sentences

    # -- the steps of an answer ------------------------------------------------------------
    def _retrieve(
        self, question: str, doc_ids: Sequence[str] | None, loaded: LoadedGeneration
    ) -> list[Passage]:
        """Fused passages, the first few re-ordered by how much of the question they hold,
        decisions before proposals, definitions first, each with the text it continues."""
        settings = self.settings.retrieval
        words = word_query(question, loaded.weights)
        pool = max(settings.rerank_pool, settings.top_k)
        passages = loaded.retriever.retrieve(question, doc_ids, lexical_query=words, limit=pool)
        terms = loaded.weights.known(content_terms(words, self._stemmer))
        ranked = rerank(passages, terms, loaded.weights, settings, limit=pool)
        ranked = decisions_first(question, ranked, settings.proposal_weight)
        definitions = loaded.definitions(question)
        ranked = definitions_first(ranked, definitions, doc_ids, loaded.retriever.chunks)
        joined = with_continuations(ranked, loaded.retriever, settings.passage_words)
        return joined[: settings.top_k]

    def _composed(
        self,
        question: str,
        language: str,
        passages: list[Passage],
        sentences: list[Sentence],
        loaded: LoadedGeneration,
    ) -> _Written:
        """The extractive answer: the best sentences, quoted and cited."""
        domain = load_domain()
        asks_proposal = asks_about_proposal(question, loaded.documents(), by_publisher=True)
        limit = self.settings.answer.evidence_passages
        composed = compose_answer(
            read_question(question, language, domain, asks_proposal),
            sentences,
            loaded.all_chunks(),
            key_terms(question, loaded.weights, self._stemmer),
            loaded.weights,
            domain,
            self.settings.answer,
            defining=defining_sentence(loaded.definitions(question), passages, sentences, limit),
            unchecked=language == "nl" and bool(unknown_event(question, loaded.weights)),
        )
        return _Written(composed.text, composed.citations, composed.verdict)

    def _model_written(
        self,
        question: str,
        language: str,
        passages: list[Passage],
        extractive: _Written,
        on_draft: Callable[[str], None] | None,
    ) -> _Written:
        """The endpoint's verified answer, or the extractive one with a one-line notice
        saying why the model's is not used."""
        llm = self.settings.llm
        try:
            written = model_answer(question, language, passages, llm, load_domain(), on_draft)
        except LLMError as exc:
            log.warning("model answer not used: %s", exc)
            notice = (
                f"(Het antwoord van het taalmodel is niet gebruikt: {exc} "
                "Dit is het antwoord uit de passages.)"
            )
            extractive.text = f"{extractive.text}\n{notice}"
            extractive.model_notice = notice
            return extractive
        return _Written(
            written.text, written.citations, written.verdict, "model", "", written.dropped
        )
