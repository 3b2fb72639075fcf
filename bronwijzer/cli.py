"""python -m bronwijzer: ask questions from the command line."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from chromadb.errors import ChromaError

from bronwijzer.analysis.clause import find_clause, highlight
from bronwijzer.analysis.clause import to_json as clause_json
from bronwijzer.analysis.clause import to_markdown as clause_markdown
from bronwijzer.analysis.compare import Comparison, compare
from bronwijzer.analysis.glossary import build_glossary
from bronwijzer.errors import BronwijzerError
from bronwijzer.index.state import repair_hint, short_reason
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.logsetup import configure
from bronwijzer.records.audit import AuditLog
from bronwijzer.settings import Settings
from bronwijzer.types import Answer


def render(answer: Answer) -> str:
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Bronnen:")
        for c in answer.citations:
            lines.append(f"[{c.number}] {c.label()}")
            lines.append(f"    “{c.marked('«', '»')}”")
    else:
        lines.append("Dichtstbijzijnde passages:")
        for i, p in enumerate(answer.passages[:3], start=1):
            chunk = p.chunk
            snippet = " ".join(chunk.text.split())[:240]
            lines.append(f"({i}) {chunk.doc.title}, p. {chunk.pages[0]}: {snippet}…")
    lines.append(f"\n({answer.latency_ms:.0f} ms)")
    return "\n".join(lines)


def cli_user() -> str:
    """Who runs the command, for the audit log: the OS user name (never a secret)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "onbekend"


def print_clause(kb: KnowledgeBase, term: str, as_json: bool, as_markdown: bool) -> int:
    groups = find_clause(term, kb.all_chunks(), kb.documents())
    if as_json:
        print(json.dumps(clause_json(groups), ensure_ascii=False, indent=2))
    elif as_markdown:
        print(clause_markdown(term, groups))
    else:
        for group in groups:
            count = len(group.hits)
            print(f"{group.doc.label()} — {count} passage{'s' if count != 1 else ''}")
            for hit in group.hits:
                where = f"p. {hit.page}" + (f", § {hit.chunk.section}" if hit.chunk.section else "")
                text = " ".join(highlight(*hit.snippet(), "«", "»").split())
                print(f"  {where}\n    {text}")
    return 0 if groups else 1


def print_glossary(kb: KnowledgeBase, as_json: bool) -> int:
    entries = build_glossary(kb.all_chunks())
    if as_json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    for entry in entries:
        d = entry.definition
        name = f"{entry.term} ({entry.expansion})" if entry.expansion else entry.term
        print(f"{name} — {len(entry.uses)}× gebruikt")
        print(f"    {d.title}, {d.date}, p. {d.page}: “{' '.join(d.sentence.split())}”")
    return 0


def print_comparison(comparison: Comparison, as_json: bool) -> int:
    if as_json:
        print(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
        return 0
    left, right = comparison.left, comparison.right
    print(f"Links: {left.label()} [{left.status}]\nRechts: {right.label()} [{right.status}]\n")
    for number, pair in enumerate(comparison.pairs, start=1):
        print(f"({number}) links p. {pair.left.page}: {' '.join(pair.left.text.split())}")
        print(f"    rechts p. {pair.right.page}: {' '.join(pair.right.text.split())}")
        for d in pair.differences:
            print(f"    ≠ {d.kind}: links “{d.left or '—'}” / rechts “{d.right or '—'}”")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bronwijzer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="stel een vraag over de documenten")
    ask.add_argument("question", help="de vraag, tussen aanhalingstekens")
    ask.add_argument("--json", action="store_true", help="print het voorspellingsobject")
    ask.add_argument("--doc", action="append", help="beperk tot dit document (herhaalbaar)")
    docs = sub.add_parser("documents", help="toon de geïndexeerde documenten")
    docs.add_argument("--json", action="store_true")
    clause_cmd = sub.add_parser("clause", help="elke passage met een term, per document")
    clause_cmd.add_argument("term", help="de term of clausule, bijv. 'eigen risico'")
    clause_cmd.add_argument("--json", action="store_true", help="print de passages als JSON")
    clause_cmd.add_argument("--markdown", action="store_true", help="print als Markdown")
    glossary_cmd = sub.add_parser("glossary", help="afkortingen en begrippen uit de documenten")
    glossary_cmd.add_argument("--json", action="store_true", help="print de woordenlijst als JSON")
    compare_cmd = sub.add_parser("compare", help="twee documenten naast elkaar over een vraag")
    compare_cmd.add_argument("question", help="de vraag of clausule")
    compare_cmd.add_argument("--doc", action="append", help="een van de twee documenten (2×)")
    compare_cmd.add_argument("--json", action="store_true", help="print de vergelijking als JSON")
    args = parser.parse_args(argv)
    configure()

    kb: KnowledgeBase | None = None
    try:
        settings = Settings.load()
        kb = KnowledgeBase(settings)
        if args.command == "documents":
            infos = kb.documents()
            if args.json:
                print(json.dumps([d.__dict__ for d in infos], ensure_ascii=False, indent=2))
            else:
                for d in infos:
                    print(f"{d.date:10}  {d.kind:12}  {d.title}  [{d.doc_id}]")
            return 0
        if args.command == "clause":
            return print_clause(kb, args.term, as_json=args.json, as_markdown=args.markdown)
        if args.command == "glossary":
            return print_glossary(kb, as_json=args.json)
        if args.command == "compare":
            return print_comparison(compare(kb, args.question, args.doc), as_json=args.json)
        answer = kb.answer(args.question, doc_ids=args.doc)
    except BronwijzerError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except ChromaError as exc:  # damage the load check did not catch
        hint = repair_hint(settings)
        print(f"Fout: de index is niet te lezen ({short_reason(exc)}). {hint}", file=sys.stderr)
        return 2
    finally:
        if kb is not None and kb.notice:
            print(f"Let op: {kb.notice}", file=sys.stderr)
    # Audited like a question in the app, and before printing: a closed pipe still counts.
    audit = AuditLog(settings)
    audit.question(f"cli {cli_user()}", answer, asked=args.question)
    audit.close()
    if args.json:
        print(json.dumps(answer.to_prediction("cli"), ensure_ascii=False, indent=2))
    else:
        print(render(answer))
    return 0
