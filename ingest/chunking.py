"""Structure-aware chunks: a heading stays with its body, paragraphs within a size bound."""

from __future__ import annotations

import hashlib

from bronwijzer.errors import DocumentError
from bronwijzer.settings import LimitSettings
from bronwijzer.text.normalize import sentence_spans
from bronwijzer.types import Chunk, DocumentInfo, heading_to_embed
from ingest.document import count_text
from ingest.structure import Block, join_blocks

_MAX_SECTION_CHARS = 160
_MAX_CHUNKS = LimitSettings().max_chunks


def _split_long(block: Block, max_words: int) -> list[Block]:
    """Split a paragraph longer than max_words at sentence boundaries."""
    if block.word_count <= max_words:
        return [block]
    pieces: list[Block] = []
    start = 0
    words = 0
    spans = sentence_spans(block.text)
    for index, (s_start, s_end) in enumerate(spans):
        n = len(block.text[s_start:s_end].split())
        if words and words + n > max_words:
            pieces.append(_slice(block, start, s_start))
            start, words = s_start, 0
        words += n
        if index == len(spans) - 1:
            pieces.append(_slice(block, start, len(block.text)))
    return [p for p in pieces if p.text.strip()] or [block]


def _slice(block: Block, start: int, end: int) -> Block:
    text = block.text[start:end]
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    page = block.page_starts[0][1]
    starts: list[tuple[int, int]] = []
    for offset, p in block.page_starts:
        if offset <= start + lead:
            page = p
        elif offset < end:
            starts.append((offset - start - lead, p))
    return Block(stripped.rstrip(), block.heading, [(0, page), *starts])


def chunk_blocks(
    blocks: list[Block],
    doc: DocumentInfo,
    max_words: int,
    min_words: int,
    max_chunks: int = _MAX_CHUNKS,
) -> list[Chunk]:
    """Group blocks into chunks that never cross a heading and stay under max_words.

    A document that would give more than ``max_chunks`` chunks is refused (DocumentError)
    before any chunk is built: its embedding alone would hold the index for minutes.
    """
    groups = _group(_with_sections(blocks, max_words), max_words, min_words)
    if len(groups) > max_chunks:
        raise DocumentError(
            f"{doc.doc_id}: het document levert te veel tekstdelen op ({count_text(len(groups))} "
            f"chunks; maximaal {count_text(max_chunks)}). Splits het op in kleinere documenten."
        )
    seen: dict[str, int] = {}
    return [
        _chunk(join_blocks(members, "\n\n"), section, order, doc, seen)
        for order, (members, section) in enumerate(groups)
    ]


def _with_sections(blocks: list[Block], max_words: int) -> list[tuple[Block, str]]:
    """(block, the section it belongs to), long paragraphs split at sentences."""
    pieces: list[tuple[Block, str]] = []
    section = ""
    for block in blocks:
        if block.heading:
            section = block.text[:_MAX_SECTION_CHARS]
        pieces.extend((part, section) for part in _split_long(block, max_words))
    return pieces


def _group(
    pieces: list[tuple[Block, str]], max_words: int, min_words: int
) -> list[tuple[list[Block], str]]:
    """Short paragraphs merge with the next one of their section, within max_words; a
    heading with what follows it."""
    groups: list[tuple[list[Block], str]] = []
    for block, block_section in pieces:
        if groups:
            members, group_section = groups[-1]
            words = sum(m.word_count for m in members)
            same_section = group_section == block_section and not block.heading
            only_heading = all(m.heading for m in members)
            fits = words + block.word_count <= max_words
            if (same_section or only_heading) and fits and words < min_words:
                members.append(block)
                if only_heading:
                    groups[-1] = (members, block_section)
                continue
        groups.append(([block], block_section))
    return groups


def _chunk(
    joined: Block, section: str, order: int, doc: DocumentInfo, seen: dict[str, int]
) -> Chunk:
    """The chunk of one group; ``seen`` counts the ids so far, to tell equal texts apart."""
    text = joined.text
    # Everything that is embedded goes into the id: a changed section re-embeds.
    embedded = heading_to_embed(section, text)
    digest = hashlib.sha256(f"{doc.doc_id}\x00{embedded}\x00{text}".encode()).hexdigest()[:24]
    seen[digest] = seen.get(digest, 0) + 1
    return Chunk(
        chunk_id=digest if seen[digest] == 1 else f"{digest}-{seen[digest]}",
        doc=doc,
        text=text,
        section=section,
        order=order,
        page_starts=tuple(joined.page_starts) or ((0, 1),),
    )
