"""An answer with its citations as a Markdown document, to keep or to forward."""

from __future__ import annotations

import re

from bronwijzer.types import Answer

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally (quotes from documents contain '*', '_', '$')."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def answer_markdown(answer: Answer, asked: str | None = None) -> str:
    """The question, the answer and every cited passage, in Markdown."""
    asked = asked or answer.question
    lines = ["# Vraag", "", escape_markdown(_one_line(asked)), ""]
    if asked != answer.question:
        lines += [f"*Gelezen als:* {escape_markdown(answer.question)}", ""]
    lines += ["## Antwoord", ""]
    if answer.abstained:
        lines += ["**Niet gevonden in de documenten.**", ""]
    lines += [escape_markdown(line) for line in answer.text.splitlines()] + [""]
    if answer.citations:
        lines += _sources(answer)
    elif answer.passages:
        lines += _nearest_passages(answer)
    footer = f"Bronwijzer · index {answer.generation or '-'} · instellingen {answer.settings_hash}"
    lines += ["---", f"*{escape_markdown(footer)}*", ""]
    return "\n".join(lines)


def _sources(answer: Answer) -> list[str]:
    """Each citation with its details and the quoted sentence in bold inside its paragraph."""
    lines = ["## Bronnen", ""]
    for c in answer.citations:
        lines.append(f"{c.number}. {escape_markdown(c.label())}")
        details = "; ".join(x for x in (c.kind, c.status) if x)
        if details:
            lines.append(f"   *{escape_markdown(details)}*")
        shown = escape_markdown(c.marked("\0", "\1"))
        lines.append(f"   > {shown.replace(chr(0), '**').replace(chr(1), '**')}")
        lines.append("")
    return lines


def _nearest_passages(answer: Answer) -> list[str]:
    """For an answer without citations: the three closest passages, where they stand."""
    lines = ["## Dichtstbijzijnde passages", ""]
    for number, passage in enumerate(answer.passages[:3], start=1):
        chunk = passage.chunk
        where = f"{chunk.doc.label()}, p. {chunk.pages[0]}"
        if chunk.section:
            where += f", § {chunk.section}"
        lines.append(f"{number}. {escape_markdown(where)}")
        lines.append(f"   > {escape_markdown(_one_line(chunk.text))}")
        lines.append("")
    return lines
