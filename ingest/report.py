"""What one ingest did, for the CLI's summary and the documents page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestReport:
    documents: int = 0
    chunks_added: int = 0
    chunks_kept: int = 0
    chunks_removed: int = 0
    chunks_updated: int = 0  # same text, new metadata: not embedded again
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    generation: str = ""
    changed: bool = False
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # what was found wrong and repaired

    def summary(self) -> str:
        lines = [
            *self.notices,
            f"{self.documents} documenten; chunks: {self.chunks_added} toegevoegd, "
            f"{self.chunks_kept} ongewijzigd, {self.chunks_removed} verwijderd, "
            f"{self.chunks_updated} metadata bijgewerkt ({self.seconds:.1f} s).",
        ]
        if not self.changed:
            lines.append("Index was al actueel: niets opnieuw ingebed.")
        for name, reason in self.skipped:
            lines.append(f"Overgeslagen: {name}: {reason}")
        return "\n".join(lines)
