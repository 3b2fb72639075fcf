"""Clean page furniture, join hyphenated line breaks, and find headings and paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from ingest.loaders import Line, LoadedDocument

_FURNITURE = [
    re.compile(r"^Pagina( \d+( van \d+)?)?$", re.IGNORECASE),
    re.compile(r"^(Kenmerk|Datum|Onze referentie|Uw kenmerk)$", re.IGNORECASE),
    re.compile(r"^Ke\w{2,4}rk$"),  # OCR'd 'Kenmerk' ('Keninerk')
    re.compile(r"^[0-9/]{6,}[A-Z]*\d*$"),  # a document reference code
    re.compile(r"^-?\s*\d{1,3}\s*-?$"),  # a bare page number
    re.compile(r"^Tweede Kamer, vergaderjaar \d{4}[–-]\d{4}, \d"),
]
_TRAILING_FURNITURE = re.compile(r"\s+(Kenmerk|Pagina \d+ van \d+)$")
_BULLET = re.compile(r"^([–•·▪◦*-]|\(?[a-z]\)|\d{1,2}[.)])\s+")
_FOOTNOTE = re.compile(r"^(\d{1,2} [A-Z(h]|\^ ?\S)")
_CARET_NOTE = re.compile(r"^\^ ?\S")
_FOOTNOTE_WINDOW = 8  # footnotes sit in the last lines of a page
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)]?$")


@dataclass
class Block:
    """A heading, paragraph or list item: lines joined, with the page each part came from."""

    text: str
    heading: bool
    page_starts: list[tuple[int, int]] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def clean_lines(document: LoadedDocument) -> list[Line]:
    """Drop page furniture and running headers/footers; keep everything else verbatim."""
    lines = [
        Line(_TRAILING_FURNITURE.sub("", ln.text), ln.page, ln.heading) for ln in document.lines
    ]
    lines = [ln for ln in lines if not any(p.match(ln.text) for p in _FURNITURE)]
    pages = {ln.page for ln in lines}
    if len(pages) >= 3:
        # A short line that recurs on most pages is a running header or footer.
        per_page = Counter({(ln.text, ln.page) for ln in lines if ln.text and len(ln.text) < 80})
        counts = Counter(text for text, _ in per_page)
        running = {t for t, n in counts.items() if n >= max(3, 0.6 * len(pages))}
        lines = [ln for ln in lines if ln.text not in running]
    return lines


def _is_heading(lines: list[Line], i: int, prev_text: str, prev_page: int) -> bool:
    line = lines[i]
    text = line.text
    words = text.split()
    if (
        not 1 <= len(words) <= 12
        or len(text) < 3
        or (_BULLET.match(text) and not re.match(r"^\d{1,2}\.\s+[A-Z]", text))
    ):
        return False
    if re.search(r"[.,;:]$", text) or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _FOOTNOTE.match(text):
        return False
    starts_fresh = not prev_text or _SENTENCE_END.search(prev_text) or line.page != prev_page
    if not starts_fresh:
        return False
    nxt = next((ln.text for ln in islice(lines, i + 1, None) if ln.text), "")
    if not nxt or not (nxt[0].isupper() or nxt[0].isdigit() or _BULLET.match(nxt)):
        return False
    # A heading introduces running text or a list; a short bare line next means a list.
    return bool(_BULLET.match(nxt)) or len(nxt.split()) >= 6 or bool(_SENTENCE_END.search(nxt))


def _join(previous: str, line: str) -> str:
    """Join a line to the text before it, undoing line-break hyphenation."""
    if not previous:
        return line
    if re.search(r"[a-zà-ÿ]-$", previous) and line[:1].islower():
        return previous[:-1] + line  # 'domeinover-' + 'stijgende'
    if previous.endswith("-") and line[:1].isupper() and not previous.endswith(" -"):
        return previous + line  # 'Zvw-' + 'Wlz'
    return previous + " " + line


def _footnote_tail(lines: list[Line], start: int, end: int) -> int:
    """Index where the footnotes at the bottom of the page lines[start:end] begin (or end)."""
    filled = [i for i in range(start, end) if lines[i].text]
    for i in filled[-_FOOTNOTE_WINDOW:]:
        after_blank = i == start or not lines[i - 1].text
        if after_blank and _FOOTNOTE.match(lines[i].text) and i > start:
            return i
    return end


def to_blocks(document: LoadedDocument) -> list[Block]:
    """Headings and paragraphs in reading order; footnotes move after their paragraph."""
    lines = clean_lines(document)
    # Footnotes at a page bottom interrupt the running sentence: set them aside.
    ordered: list[tuple[Line, bool]] = []  # (line, is_footnote)
    page_start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or (i > page_start and lines[i].page != lines[i - 1].page):
            tail = _footnote_tail(lines, page_start, i) if not document.marked_headings else i
            ordered.extend((ln, False) for ln in lines[page_start:tail])
            ordered.extend((ln, True) for ln in lines[tail:i] if ln.text)
            page_start = i
    # OCR'd superscript footnotes ('^ Met betaaltitel wordt bedoeld ...') can sit anywhere.
    in_note = False
    for index, (ln, is_note) in enumerate(ordered):
        if _CARET_NOTE.match(ln.text):
            in_note = True
        elif not ln.text:
            in_note = False
        if in_note and not is_note:
            ordered[index] = (ln, True)
    body = [ln for ln, is_note in ordered]
    notes_at = {id(ln) for ln, is_note in ordered if is_note}

    blocks: list[Block] = []
    pending_notes: list[Line] = []
    current: Block | None = None
    prev_text, prev_page = "", 0

    def close() -> None:
        nonlocal current
        if current is not None and current.text.strip():
            blocks.append(current)
        current = None
        for note in pending_notes:
            blocks.append(Block(note.text, False, [(0, note.page)]))
        pending_notes.clear()

    for i, line in enumerate(body):
        if id(line) in notes_at:
            pending_notes.append(line)
            continue
        text = line.text
        if not text:
            if current is not None and (
                document.marked_headings or _SENTENCE_END.search(current.text)
            ):
                close()
            continue
        heading = line.heading or (
            not document.marked_headings and _is_heading(body, i, prev_text, prev_page)
        )
        new_item = heading or bool(_BULLET.match(text))
        if current is not None and (new_item or current.heading):
            close()
        if current is None:
            current = Block("", heading, [])
        joined = _join(current.text, text)
        if not current.page_starts or current.page_starts[-1][1] != line.page:
            current.page_starts.append((max(0, len(joined) - len(text)), line.page))
        current.text = joined
        prev_text, prev_page = text, line.page
    close()
    return _lists_not_headings(blocks)


def _lists_not_headings(blocks: list[Block]) -> list[Block]:
    """Three or more 'headings' in a row are a list of short items: one paragraph."""
    out: list[Block] = []
    run: list[Block] = []
    for block in [*blocks, Block("", False)]:
        if block.heading:
            run.append(block)
            continue
        if len(run) >= 3:
            merged = Block("", False, [])
            for item in run:
                base = len(merged.text) + (1 if merged.text else 0)
                merged.text = f"{merged.text}\n{item.text}" if merged.text else item.text
                for offset, page in item.page_starts:
                    if not merged.page_starts or merged.page_starts[-1][1] != page:
                        merged.page_starts.append((base + offset, page))
            out.append(merged)
        else:
            out.extend(run)
        run = []
        if block.text:
            out.append(block)
    return out
