"""Text normalisation for Vietnamese names: NFC for display, a folded key for matching."""

from __future__ import annotations

import re
import unicodedata

_UNIT_PREFIXES = (
    "thi tran", "phuong", "xa", "tt", "p", "x",
)
_DISTRICT_PREFIXES = ("thanh pho", "thi xa", "huyen", "tp", "tx", "h")
_PUNCT = re.compile(r"[^\w\s]", flags=re.UNICODE)
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with surrounding and repeated spaces removed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics (``đ`` → ``d``), keep case."""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def _strip_prefix(key: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            return key[len(prefix) + 1 :]
    return key


def fold(text: str) -> str:
    """Matching key: lower case, no diacritics, no punctuation, single spaces."""
    key = strip_diacritics(nfc(text)).lower()
    key = _PUNCT.sub(" ", key)
    return _SPACES.sub(" ", key).strip()


def unit_key(name: str) -> str:
    """Matching key of a commune-level name without "Xã/Phường/Thị trấn/TT" prefixes."""
    return _strip_prefix(fold(name), _UNIT_PREFIXES)


def district_key(name: str) -> str:
    """Matching key of a district-level name without "Huyện/Thành phố/Thị xã/TP/TX"."""
    return _strip_prefix(fold(name), _DISTRICT_PREFIXES)


def accent_key(name: str) -> str:
    """Like :func:`unit_key` but keeping diacritics, to prefer exact spellings."""
    key = nfc(name).lower()
    key = _PUNCT.sub(" ", key)
    key = _SPACES.sub(" ", key).strip()
    folded_prefix = _strip_prefix(strip_diacritics(key), _UNIT_PREFIXES)
    return key[len(key) - len(folded_prefix) :]
