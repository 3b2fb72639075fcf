"""Documents -> clean text with pages and sections -> chunks -> index (python -m ingest)."""

from ingest.sync import IngestReport, chunk_file, corpus_files, document_info, read_metadata, sync

__all__ = ["IngestReport", "chunk_file", "corpus_files", "document_info", "read_metadata", "sync"]
