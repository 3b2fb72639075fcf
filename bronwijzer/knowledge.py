"""The knowledge base handle: model and index loaded once, answers on demand."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Generic, TypeVar

from llama_index.core.base.embeddings.base import BaseEmbedding

from bronwijzer.analysis.glossary import Definition, DefinitionFinder, defined_term
from bronwijzer.answering.abstain import abstention_text, should_abstain
from bronwijzer.answering.compose import compose_answer
from bronwijzer.answering.evidence import (
    EvidenceCheck,
    Sentence,
    TermWeights,
    check_evidence,
    expected_types,
    rerank,
    score_sentences,
    unknown_event,
)
from bronwijzer.answering.llm import LLMError
from bronwijzer.answering.question import read_question
from bronwijzer.answering.synthesis import ModelAnswer, model_answer
from bronwijzer.errors import ModelError, QuestionError
from bronwijzer.index.embedding import load_embedding
from bronwijzer.index.store import Generation, IndexStore
from bronwijzer.retrieval.hybrid import HybridRetriever
from bronwijzer.settings import Settings
from bronwijzer.text.domain import Domain, load_domain
from bronwijzer.text.normalize import FoldingStemmer, content_terms, detect_language
from bronwijzer.text.spelling import Correction, Speller, corrected, spelling_note, suspects
from bronwijzer.types import Answer, Chunk, Citation, DocumentInfo, Passage

log = logging.getLogger(__name__)

T = TypeVar("T")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_question(question: str, max_chars: int) -> str:
    """The question without control characters; QuestionError when unusable."""
    if not isinstance(question, str):
        raise QuestionError("De vraag moet tekst zijn.")
    text = " ".join(_CONTROL.sub(" ", question).split())
    if not text:
        raise QuestionError("De vraag is leeg. Typ een vraag over de documenten.")
    if len(text) > max_chars:
        raise QuestionError(
            f"De vraag is te lang ({len(text)} tekens; maximaal {max_chars}). "
            "Stel een kortere, concrete vraag."
        )
    if not re.search(r"\w\w", text):
        raise QuestionError("De vraag bevat geen woorden. Typ een vraag over de documenten.")
    return text


class _BuiltAside(Generic[T]):
    """A helper built in a background thread when a generation loads, so no question waits
    for it unless it needs it in the first seconds. `get()` waits for it; if building failed
    there, it is built again here, so the caller gets the error."""

    def __init__(self, build: Callable[[], T], name: str) -> None:
        self._build = build
        self._name = name
        self._value: T | None = None
        self._done = threading.Event()
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._build()
        except Exception:
            log.exception("Building the %s failed", self._name)
        finally:
            self._done.set()

    def get(self) -> T:
        self._done.wait()
        if self._value is None:
            self._value = self._build()
        return self._value


class _Loaded:
    def __init__(self, retriever: HybridRetriever, weights: TermWeights) -> None:
        self.retriever = retriever
        self.weights = weights
        # The active generation named in the manifest when this was loaded; differs from
        # retriever.generation when that one was damaged and its backup is used instead.
        self.pointer = retriever.generation.name
        self._definitions: dict[str, list[Definition]] = {}
        # The definition finder folds every text once, and the speller counts every word:
        # seconds at 100,000 chunks, so both are built beside the first questions.
        chunks = retriever.chunks.values()
        self._finder = _BuiltAside(lambda: DefinitionFinder(chunks), "definition finder")
        self._speller = _BuiltAside(lambda: Speller(c.text for c in chunks), "speller")

    def spelling(self, question: str) -> list[Correction]:
        """The typing errors of a Dutch question, and the indexed words to read them as.
        Most questions have no suspect word and never wait for the speller."""
        words = suspects(question, self.weights.knows)
        return self._speller.get().corrections(words) if words else []

    def definitions(self, question: str) -> list[Definition]:
        """The passages that define the term a definition question asks about, best first;
        none for any other question (remembered per question; two threads may both look it
        up, and find the same).

        Only explicit definitions and explanations count ('Met X wordt bedoeld …', 'Een X
        is een …', 'een zogenoemd X. …'), never a first use or an abbreviation's full name.
        """
        if question not in self._definitions:
            if len(self._definitions) > 1000:
                self._definitions.clear()
            term = defined_term(question)
            found = self._finder.get().definitions(term) if term else []
            self._definitions[question] = found
        return self._definitions[question]


# 'lang' in 'Hoe lang …' asks for a duration; it is not a subject to match ('lang' in 'zo
# lang als', 'lange termijn'). The same for 'hoe hoog', 'hoe groot', 'hoe duur'.
_ASKING_WORDS = re.compile(r"\b(hoe)\s+(?:lang|hoog|groot|duur)\b", re.I)


def asks_about_proposal(
    question: str, docs: Iterable[DocumentInfo], by_publisher: bool = False
) -> bool:
    """Does the question ask what a proposal said? It says 'voorstel' or 'proposed', or names
    a proposal's kind ('verkenning') or year; `by_publisher`: or its publisher ('de NZa' of
    an NZa advice), which also acts in decisions ('vraag de NZa om …'), so that counts only
    where a proposal may lead the answer, not in the ranking."""
    domain = load_domain()
    folded = question.lower()
    if any(w in folded for w in domain.proposal_status) or "propos" in folded:
        return True
    words = set(re.findall(r"\w+", folded))
    for doc in docs:
        if not domain.is_proposal(doc.status):
            continue
        short = re.findall(r"\(([^)]+)\)", doc.publisher)  # 'Nederlandse Zorgautoriteit (NZa)'
        names = {doc.date[:4], doc.kind.lower()} | {s.lower() for s in short if by_publisher}
        if names & words:
            return True
    return False


def decisions_first(question: str, passages: list[Passage], weight: float) -> list[Passage]:
    """Passages of documents that decide before those of proposals (status 'advies',
    'voorstel'), unless the question asks about the proposal (`asks_about_proposal`).

    Users ask what holds now; a proposal saying much the same words is not the rule. A
    proposal's passage keeps its place only when it scores clearly higher (`weight` < 1
    scales its score).
    """
    domain = load_domain()
    if asks_about_proposal(question, (p.chunk.doc for p in passages)):
        return passages

    def key(passage: Passage) -> float:
        proposal = domain.is_proposal(passage.chunk.doc.status)
        return passage.score * weight if proposal else passage.score

    return sorted(passages, key=lambda p: -key(p))


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
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()
        self._stemmer = FoldingStemmer()

    @property
    def embedding(self) -> BaseEmbedding:
        if self._embedding is None:
            self._embedding = load_embedding(self.settings.embed_model, self.settings.embeddings)
        return self._embedding

    def _current(self) -> _Loaded:
        """The retriever for the active generation; rebuilt after a re-index."""
        generation = self.store.require_active()
        loaded = self._loaded
        if loaded is not None and loaded.pointer == generation.name:
            return loaded
        with self._lock:
            if self._loaded is None or self._loaded.pointer != generation.name:
                loaded = self._load(self.store.usable(generation))  # checked once per pointer
                loaded.pointer = generation.name
                self._loaded = loaded
            return self._loaded

    def _load(self, generation: Generation) -> _Loaded:
        if generation.embed_model != self.settings.embedding_id:
            raise ModelError(
                f"De index is gemaakt met model '{generation.embed_model}', maar ingesteld is "
                f"'{self.settings.embedding_id}'. Draai python -m ingest opnieuw."
            )
        retriever = HybridRetriever(self.store, generation, self.embedding, self.settings.retrieval)
        weights = TermWeights(retriever.chunks.values(), self._stemmer)
        log.info("Loaded generation %s (%d chunks)", generation.name, len(retriever.chunks))
        return _Loaded(retriever, weights)

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
        docs: dict[str, DocumentInfo] = {}
        for chunk in self._current().retriever.chunks.values():
            docs.setdefault(chunk.doc.doc_id, chunk.doc)
        return sorted(docs.values(), key=lambda d: (d.date, d.doc_id), reverse=True)

    def all_chunks(self) -> list[Chunk]:
        """Every chunk of the active generation, per document in reading order."""
        chunks = self._current().retriever.chunks.values()
        return sorted(chunks, key=lambda c: (c.doc.doc_id, c.order))

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """All chunks of one document in reading order (for showing a source in context)."""
        chunks = self._current().retriever.chunks.values()
        return sorted((c for c in chunks if c.doc.doc_id == doc_id), key=lambda c: c.order)

    def retrieve(self, question: str, doc_ids: Sequence[str] | None = None) -> list[Passage]:
        text = clean_question(question, self.settings.answer.max_question_chars)
        loaded = self._current()
        return self._retrieve(
            self._as_read(text, detect_language(text), loaded)[0], doc_ids, loaded
        )

    @staticmethod
    def _as_read(text: str, language: str, loaded: _Loaded) -> tuple[str, list[Correction]]:
        """The question as it is searched: a Dutch question's typing errors corrected."""
        if language != "nl":
            return text, []
        corrections = loaded.spelling(text)
        return corrected(text, corrections), corrections

    def _retrieve(
        self, question: str, doc_ids: Sequence[str] | None, loaded: _Loaded
    ) -> list[Passage]:
        """Fused passages, the first few re-ordered by how much of the question they hold."""
        words = self._word_query(question, loaded)
        pool = max(self.settings.retrieval.rerank_pool, self.settings.retrieval.top_k)
        passages = loaded.retriever.retrieve(question, doc_ids, lexical_query=words, limit=pool)
        terms = loaded.weights.known(content_terms(words, self._stemmer))
        ranked = rerank(passages, terms, loaded.weights, self.settings.retrieval, limit=pool)
        ranked = decisions_first(question, ranked, self.settings.retrieval.proposal_weight)
        ranked = self._definitions_first(question, ranked, doc_ids, loaded)
        return self._with_continuations(ranked, loaded)[: self.settings.retrieval.top_k]

    def _with_continuations(self, passages: list[Passage], loaded: _Loaded) -> list[Passage]:
        """Each passage joined with a neighbouring chunk of its section when both fit in
        `passage_words`: the one before it (that a section's middle continues), else the
        one after it (that a heading with its first paragraph leads into).

        Chunks end at paragraph boundaries, so a heading and its first paragraph can match
        a question while the answer is the list or paragraph after it, and a list item can
        match while what it is a list of comes before. A chunk already shown, on its own or
        joined, is not shown again.
        """
        limit = self.settings.retrieval.passage_words
        shown: set[str] = set()
        out: list[Passage] = []

        def joins(chunk: Chunk, other: Chunk) -> bool:
            return (
                other.chunk_id not in shown
                and other.section == chunk.section
                and len(chunk.text.split()) + len(other.text.split()) <= limit
            )

        for passage in passages:
            chunk = passage.chunk
            if chunk.chunk_id in shown:
                continue
            shown.add(chunk.chunk_id)
            before = loaded.retriever.neighbour(chunk, -1)
            after = loaded.retriever.neighbour(chunk, 1)
            if before is not None and joins(chunk, before):
                shown.add(before.chunk_id)
                passage = replace(passage, chunk=before.followed_by(chunk))
            elif after is not None and joins(chunk, after):
                shown.add(after.chunk_id)
                passage = replace(passage, chunk=chunk.followed_by(after))
            out.append(passage)
        return out

    def _definitions_first(
        self,
        question: str,
        passages: list[Passage],
        doc_ids: Sequence[str] | None,
        loaded: _Loaded,
    ) -> list[Passage]:
        """For 'what does X mean', the passages that define X go first.

        Ranking finds passages that use a term as readily as the one that defines it: a
        term that the documents are about ('betaaltitel') occurs in nearly every passage.
        The glossary knows which sentence defines it.
        """
        definitions = loaded.definitions(question)
        wanted = [d for d in definitions if not doc_ids or d.doc_id in doc_ids]
        if not wanted or not passages:
            return passages
        top = passages[0].score
        by_id = {p.chunk.chunk_id: p for p in passages}
        first: dict[str, Passage] = {}
        for definition in wanted:
            chunk = loaded.retriever.chunks.get(definition.chunk_id)
            if chunk is not None and chunk.chunk_id not in first:
                found = by_id.get(chunk.chunk_id)
                first[chunk.chunk_id] = replace(found, score=top) if found else Passage(chunk, top)
        return [*first.values(), *(p for p in passages if p.chunk.chunk_id not in first)]

    def _defining_sentence(
        self, question: str, passages: list[Passage], sentences: list[Sentence], loaded: _Loaded
    ) -> Sentence | None:
        """For 'what does X mean', the sentence that defines X, to be quoted first.

        Sentence scores count the question's words, and a definition ('Met betaaltitel
        wordt bedoeld een prestatie …') holds few of them besides the term.
        """
        limit = self.settings.answer.evidence_passages
        for definition in loaded.definitions(question):
            for rank, passage in enumerate(passages[:limit]):
                chunk = passage.chunk
                start = chunk.text.find(definition.sentence)
                if start >= 0 and chunk.part_at(start)[0] == definition.chunk_id:
                    end = start + len(definition.sentence)
                    top = max(s.score for s in sentences)
                    return Sentence(rank, chunk, start, end, sentences[0].coverage, top)
        return None

    @staticmethod
    def _word_query(question: str, loaded: _Loaded, compounds: bool = True) -> str:
        """The question for word matching: split verbs joined ('stelt … vast' →
        'vaststellen'), abbreviations and English field terms in the documents' words
        ('ZV' → 'zorgverzekeraar'), and, for retrieval, the parts of compounds the index
        lacks (the evidence check counts only the question's own words)."""
        question = _ASKING_WORDS.sub(r"\1", question)
        parts = loaded.weights.separable_verbs(question)
        parts += load_domain().expansions(question, detect_language(question), loaded.weights.knows)
        if compounds:
            parts = loaded.weights.compound_parts(question) + parts
        return f"{question} {' '.join(parts)}" if parts else question

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
        text, corrections = self._as_read(typed, language, loaded)
        passages = self._retrieve(text, doc_ids, loaded)
        check, sentences = self.evidence(text, passages, loaded)
        abstained = not sentences or should_abstain(check, language, self.settings.answer)
        citations: list[Citation] = []
        verdict = None
        path, notice, dropped = "extractive", "", 0
        if abstained:
            body = abstention_text(language, check.unknown_term, check.topicless)
        else:
            domain = load_domain()
            composed = compose_answer(
                read_question(
                    text,
                    language,
                    domain,
                    asks_about_proposal(text, self.documents(), by_publisher=True),
                ),
                sentences,
                self.all_chunks(),
                self._terms(text, loaded),
                loaded.weights,
                domain,
                self.settings.answer,
                defining=self._defining_sentence(text, passages, sentences, loaded),
                unchecked=language == "nl" and bool(unknown_event(text, loaded.weights)),
            )
            body, citations, verdict = composed.text, composed.citations, composed.verdict
            if self.settings.llm.enabled:
                written = self._model_answer(text, language, passages, domain, on_draft)
                if isinstance(written, ModelAnswer):
                    body, citations, verdict = written.text, written.citations, written.verdict
                    path, dropped = "model", written.dropped
                else:
                    notice = written
                    body = f"{body}\n{written}"
        if corrections:
            body += "\n" + spelling_note(corrections)
        return Answer(
            question=typed,
            text=body,
            abstained=abstained,
            citations=citations,
            passages=passages,
            language=language,
            latency_ms=(time.perf_counter() - started) * 1000,
            settings_hash=self.settings.fingerprint(),
            generation=loaded.retriever.generation.name,
            verdict=verdict,
            path=path,
            notice=notice,
            dropped_claims=dropped,
        )

    def _model_answer(
        self,
        question: str,
        language: str,
        passages: list[Passage],
        domain: Domain,
        on_draft: Callable[[str], None] | None = None,
    ) -> ModelAnswer | str:
        """The endpoint's verified answer, or the one-line notice shown with the extractive
        answer instead."""
        try:
            return model_answer(question, language, passages, self.settings.llm, domain, on_draft)
        except LLMError as exc:
            log.warning("model answer not used: %s", exc)
            return (
                f"(Het antwoord van het taalmodel is niet gebruikt: {exc} "
                "Dit is het antwoord uit de passages.)"
            )

    def _terms(self, question: str, loaded: _Loaded) -> list[str]:
        """The question's key terms as the index knows them (the evidence check's words)."""
        words = self._word_query(question, loaded, compounds=False)
        return loaded.weights.known(content_terms(words, self._stemmer))

    def evidence(
        self, question: str, passages: list[Passage], loaded: _Loaded | None = None
    ) -> tuple[EvidenceCheck, list]:
        loaded = loaded or self._current()
        terms = self._terms(question, loaded)
        sentences = score_sentences(
            passages,
            terms,
            loaded.weights,
            self.settings.answer.evidence_passages,
            join_back=bool({"name", "party"} & set(expected_types(question))),
        )
        return check_evidence(passages, sentences, terms, loaded.weights, question), sentences
