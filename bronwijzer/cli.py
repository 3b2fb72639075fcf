"""python -m bronwijzer: ask questions from the command line."""

from __future__ import annotations

import argparse
import json
import sys

from .errors import BronwijzerError
from .knowledge import KnowledgeBase
from .logsetup import configure
from .settings import Settings
from .types import Answer


def render(answer: Answer) -> str:
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Bronnen:")
        for c in answer.citations:
            lines.append(f"[{c.number}] {c.label()}")
            lines.append(f"    “{' '.join(c.quote.split())}”")
    else:
        lines.append("Dichtstbijzijnde passages:")
        for i, p in enumerate(answer.passages[:3], start=1):
            chunk = p.chunk
            snippet = " ".join(chunk.text.split())[:240]
            lines.append(f"({i}) {chunk.doc.title}, p. {chunk.pages[0]}: {snippet}…")
    lines.append(f"\n({answer.latency_ms:.0f} ms)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bronwijzer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="stel een vraag over de documenten")
    ask.add_argument("question", help="de vraag, tussen aanhalingstekens")
    ask.add_argument("--json", action="store_true", help="print het voorspellingsobject")
    ask.add_argument("--doc", action="append", help="beperk tot dit document (herhaalbaar)")
    docs = sub.add_parser("documents", help="toon de geïndexeerde documenten")
    docs.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    configure()

    try:
        kb = KnowledgeBase(Settings())
        if args.command == "documents":
            infos = kb.documents()
            if args.json:
                print(json.dumps([d.__dict__ for d in infos], ensure_ascii=False, indent=2))
            else:
                for d in infos:
                    print(f"{d.date:10}  {d.kind:12}  {d.title}  [{d.doc_id}]")
            return 0
        answer = kb.answer(args.question, doc_ids=args.doc)
    except BronwijzerError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.to_prediction("cli"), ensure_ascii=False, indent=2))
    else:
        print(render(answer))
    return 0
