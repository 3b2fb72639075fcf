"""The house limits, checked in CI: modules under 300 lines, functions under 60 lines and
cyclomatic complexity 15 (radon). Prints radon's report of everything rated C or worse
(complexity 11+), then each breach of a limit; exits 1 when there is one.

    python .ci/house.py            # from the repository root
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 15
SOURCES = ["bronwijzer", "ingest", "eval", "ui", "app.py"]


def source_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = root / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def check(path: Path, root: Path) -> tuple[list[str], list[str]]:
    """(report lines, breaches) of one file."""
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(root)
    report: list[str] = []
    breaches: list[str] = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        breaches.append(f"{rel}: {lines} lines (max {MAX_MODULE_LINES})")
    for block in cc_visit(text):
        name = getattr(block, "fullname", block.name)
        if block.complexity > 10:
            report.append(
                f"{rel}:{block.lineno} {name} {cc_rank(block.complexity)} ({block.complexity})"
            )
        if block.complexity > MAX_COMPLEXITY:
            breaches.append(
                f"{rel}:{block.lineno} {name}: complexity {block.complexity} (max {MAX_COMPLEXITY})"
            )
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                breaches.append(
                    f"{rel}:{node.lineno} {node.name}: {length} lines (max {MAX_FUNCTION_LINES})"
                )
    return report, breaches


def main() -> int:
    root = Path.cwd()
    report: list[str] = []
    breaches: list[str] = []
    files = source_files(root)
    for path in files:
        r, b = check(path, root)
        report += r
        breaches += b
    print(f"radon: {len(files)} files; functions rated C or worse (complexity > 10):")
    print("\n".join(f"  {line}" for line in report) or "  none")
    if breaches:
        print("Over the house limits:")
        print("\n".join(f"  {line}" for line in breaches))
        return 1
    print(
        f"House limits hold: modules ≤ {MAX_MODULE_LINES} lines, functions ≤ "
        f"{MAX_FUNCTION_LINES} lines and complexity ≤ {MAX_COMPLEXITY}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
