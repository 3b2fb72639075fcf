"""A gold file with typing errors in its questions: how much do users' typos cost?

Each word of six or more letters gets, with probability `rate`, one typing error a fast
typist makes: a letter dropped ('betaaltitl'), two neighbours swapped ('trajcet') or a letter
doubled ('reaacties'). Seeded, so the same command writes the same file. The gold passages
stay as they are: the questions must still find them.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

_LONG_WORD = re.compile(r"[^\W\d_]{6,}")


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)  # the first and the last letter are typed right
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def with_typos(question: str, rng: random.Random, rate: float) -> str:
    words = list(_LONG_WORD.finditer(question))
    for match in reversed(words):
        if rng.random() < rate:
            question = (
                question[: match.start()] + _typo(match.group(0), rng) + question[match.end() :]
            )
    return question


def write_typos(gold: Path, out: Path, seed: int = 7, rate: float = 0.35) -> int:
    """Write `gold` with typing errors in its questions to `out`; return the rows changed."""
    rng = random.Random(seed)
    rows, changed = [], 0
    for line in gold.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        typed = with_typos(row["question"], rng, rate)
        changed += typed != row["question"]
        rows.append(json.dumps({**row, "question": typed}, ensure_ascii=False))
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return changed
