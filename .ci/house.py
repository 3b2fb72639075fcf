"""The house limits, checked in CI: modules under 300 lines, functions under 60 lines and
cyclomatic complexity 15 (radon), and the core's layers (each part of `bronwijzer/` imports
only the layers below it; the core imports none of app, ui, ingest, eval or streamlit).
Prints radon's report of everything rated C or worse (complexity 11+), then each breach;
exits 1 when there is one.

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
# The core's layers, lowest first: the flow documents -> index -> retrieval -> answer, with
# the knowledge base handle, the analyst pages and the CLI on top.
LAYERS = [
    {"settings", "settings_sections", "types", "errors", "logsetup"},
    {"text"},
    {"index"},
    {"retrieval"},
    {"answering"},
    {"records"},
    {"knowledge"},
    {"analysis"},
    {"cli", "__init__", "__main__"},
]
OUTSIDE_THE_CORE = ("app", "ui", "ingest", "eval", "streamlit")


def source_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = root / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def layer_of(module: str) -> int | None:
    """The layer of a dotted module name inside the core; None outside it."""
    parts = module.split(".")
    if parts[0] != "bronwijzer":
        return None
    part = parts[1] if len(parts) > 1 else "__init__"
    return next((i for i, names in enumerate(LAYERS) if part in names), None)


def layer_breaches(tree: ast.Module, rel: Path) -> list[str]:
    """Imports of a core module that reach up a layer, or out of the core."""
    parts = rel.with_suffix("").parts
    own = layer_of(".".join(parts))
    if parts[0] != "bronwijzer" or own is None:
        return []
    breaches = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            target = layer_of(name)
            if name.split(".")[0] in OUTSIDE_THE_CORE:
                breaches.append(f"{rel}:{node.lineno} imports {name}, outside the core")
            elif target is not None and target > own:
                breaches.append(f"{rel}:{node.lineno} imports {name}, a layer above it")
    return breaches


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
    tree = ast.parse(text)
    breaches += layer_breaches(tree, rel)
    for node in ast.walk(tree):
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
        f"{MAX_FUNCTION_LINES} lines and complexity ≤ {MAX_COMPLEXITY}; every core import "
        "points down its layers."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
