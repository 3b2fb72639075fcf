"""Documents -> clean text with pages and sections -> chunks -> index (python -m ingest).

In reading order: ``loaders`` (checks every file passes, then ``formats``, one reader per
format, within the ``limits`` on hostile files) gives a ``document`` of lines; ``structure``
cleans them into headings and paragraphs; ``chunking`` groups those into chunks; ``sync``
brings the index in line with the corpus folder, ``generation`` writing the new index
version, ``report`` saying what it did. ``metadata`` reads and writes the corpus metadata
file. ``manage`` adds, replaces and deletes one document (``uploads`` checks an upload,
``sandbox`` reads it in its own process); ``backup`` copies index and corpus.
"""

from ingest.metadata import document_info, read_metadata
from ingest.report import IngestReport
from ingest.sync import chunk_file, corpus_files, sync

__all__ = ["IngestReport", "chunk_file", "corpus_files", "document_info", "read_metadata", "sync"]
