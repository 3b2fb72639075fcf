"""What the logs keep of a typed question: masked personal data, a keyed hash, or the text.

A reader may type a citizen service number (BSN), an e-mail address or a phone number
into a question; the audit and feedback logs must not keep them. ``redact`` masks them
with a placeholder; ``QuestionStorage`` applies the ``logs.question_storage`` setting.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from bronwijzer.settings import Settings

HASH_KEY_FILE = "log-hash.key"
HASH_PREFIX = "hmac-sha256:"

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[ ]?[A-Z]{4}(?:[ ]?\d){10}\b", re.IGNORECASE)
# Dutch numbers: 0, +31 or 0031, then nine digits, with spaces, dots or dashes anywhere
# ("06-12345678", "+31 (0)6 1234 5678", "020 - 123 45 67").
_SEP = r"(?:\s?[-.]?\s?)"
_PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)31{_SEP}(?:\(0\){_SEP})?|0)[1-9](?:{_SEP}\d){{8}}(?!\d)"
)
# Digits in groups joined by one space, dot or dash: '123456782', '1234.56.782', '123 456 782'.
_DIGIT_GROUPS = re.compile(r"(?<!\d)\d+(?:[ .-]\d+)*(?!\d)")
_GROUP = re.compile(r"\d+")
# How people group a BSN when they do not type it in one run; masked even when the
# 11-check fails (a mistyped BSN is still somebody's number), but only as a whole group
# sequence, so that an amount like '1.234.567.890' keeps its digits.
_BSN_SHAPES = {(3, 3, 3), (4, 2, 3), (2, 3, 4)}
# Grouped digits that pass the 11-check by chance but are a date or years ('2024 2025').
_NOT_BSN = re.compile(
    r"(?:0?[1-9]|[12]\d|3[01])[-.](?:0?[1-9]|1[0-2])[-.](?:19|20)\d\d"
    r"|(?:19|20)\d\d(?:[ .-](?:19|20)\d\d)+"
)


def is_bsn(digits: str) -> bool:
    """The BSN 11-check (elfproef) on 8 or 9 digits: 9*d1 + 8*d2 + ... + 2*d8 - d9 = 0 mod 11."""
    if not digits.isdigit() or len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0 and int(digits) != 0


def _mask_numbers(text: str) -> str:
    """Mask 8-9 digit runs, and digit groups that together form a BSN, in ``text``."""

    def mask(match: re.Match[str]) -> str:
        span = match.group(0)
        groups = list(_GROUP.finditer(span))
        out, cursor, start = [], 0, 0
        while start < len(groups):
            for end in range(len(groups), start, -1):  # the longest BSN-like span first
                chosen = groups[start:end]
                digits = "".join(g.group(0) for g in chosen)
                if len(digits) not in (8, 9):
                    continue
                piece = span[chosen[0].start() : chosen[-1].end()]
                shape = tuple(len(g.group(0)) for g in chosen)
                if is_bsn(digits) and not _NOT_BSN.fullmatch(piece):
                    label = "[BSN]"
                elif len(chosen) == 1 or (shape in _BSN_SHAPES and len(chosen) == len(groups)):
                    label = "[nummer]"
                else:
                    continue
                out += [span[cursor : chosen[0].start()], label]
                cursor, start = chosen[-1].end(), end
                break
            else:
                start += 1
        return "".join([*out, span[cursor:]])

    return _DIGIT_GROUPS.sub(mask, text)


def redact(text: str) -> str:
    """``text`` with e-mail addresses, IBANs, Dutch phone numbers and BSN-like numbers masked.

    A run of 8 or 9 digits is always masked; digits typed in groups are masked when they
    pass the BSN 11-check or have the shape of a BSN (3-3-3, 4-2-3). A valid BSN becomes
    '[BSN]', another number '[nummer]'.
    """
    text = _EMAIL.sub("[e-mail]", text)
    text = _IBAN.sub("[IBAN]", text)
    text = _PHONE.sub("[telefoon]", text)
    return _mask_numbers(text)


def _hash_key(settings: Settings) -> bytes:
    """The configured key, else the data folder's own random key (created on first use)."""
    if settings.logs.hash_key is not None:
        return settings.logs.hash_key.get_secret_value().encode("utf-8")
    path: Path = settings.data_dir / HASH_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: of two first writers, one creates the key and the other reads it.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
    key = path.read_text(encoding="ascii").strip()
    if not key:  # a writer that lost the race may read before the key is written
        raise OSError(f"{path} is leeg; verwijder het bestand en probeer opnieuw.")
    return key.encode("ascii")


class QuestionStorage:
    """Turns questions and other typed text into what the logs may keep."""

    def __init__(self, settings: Settings) -> None:
        self.mode = settings.logs.question_storage
        self._settings = settings
        self._key: bytes | None = None

    def question(self, text: str) -> str:
        """The question as stored: redacted, a keyed hash of it, or unchanged."""
        if self.mode == "verbatim":
            return text
        if self.mode == "redacted":
            return redact(text)
        if self._key is None:
            self._key = _hash_key(self._settings)
        # Case and spacing do not make another question when counting equal questions.
        normal = " ".join(text.split()).casefold().encode("utf-8")
        return HASH_PREFIX + hmac.new(self._key, normal, hashlib.sha256).hexdigest()

    def free_text(self, text: str) -> str:
        """A comment or answer text: redacted unless questions are stored verbatim."""
        return text if self.mode == "verbatim" else redact(text)
