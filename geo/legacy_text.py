"""Vietnamese typed in the legacy TCVN3 (ABC) fonts, recognised and turned into Unicode.

Many provincial spreadsheets were typed before Unicode, in the ``.VnTime`` family of fonts:
the file holds 8-bit codes that only that font draws as Vietnamese. Read as the
Windows code page they look like ``B¶o Th¾ng`` or ``M­êng Kh­¬ng`` (Bảo Thắng, Mường
Khương), and no commune name would match. This module

- tells such a file apart (:func:`looks_tcvn3`): several words with a character that is no
  Vietnamese letter in Unicode but a letter in TCVN3 (``¸ µ ¶ ¬`` …), in cells without a
  character that only Unicode Vietnamese has (ă, đ, ơ, ư, the tone-marked letters of
  U+1EA0–U+1EF9, combining tone marks), most of which read as Vietnamese syllables once
  converted (so German or French text is left alone);
- converts its cells (:func:`from_tcvn3`): each code of 0xA1–0xFF to its letter.

The table is TCVN 5712:1993 as glibc's ``iconv`` decodes it (``TCVN5712-1``) for 0xA0–0xFF,
the range the ABC fonts use for ``Ă Â Ê Ô Ơ Ư Đ`` and every lower-case letter; checked against
``iconv`` by the tests where it is installed. Codes outside that range are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from geo.settings import SETTINGS

# glibc iconv, TCVN5712-1 → Unicode, each of the bytes 0xA0..0xFF decoded alone, in order
# (0xB0–0xB4 are combining tone marks).
_TCVN3_A0_FF = (
    "\u00a0\u0102\u00c2\u00ca\u00d4\u01a0\u01af\u0110\u0103\u00e2\u00ea\u00f4\u01a1\u01b0\u0111\u1eb0"
    "\u0300\u0309\u0303\u0301\u0323\u00e0\u1ea3\u00e3\u00e1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\u00e8\u1ec2\u1ebb\u1ebd"
    "\u00e9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\u00ec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\u00ed\u1ecb\u00f2"
    "\u1ed4\u1ecf\u00f5\u00f3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\u00f9"
    "\u1ed6\u1ee7\u0169\u00fa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u00fd\u1ef5\u1ed0"
)
TCVN3_TABLE: dict[int, str] = {
    0xA0 + i: char for i, char in enumerate(_TCVN3_A0_FF) if ord(char) != 0xA0 + i
}
"""Code point (as the Windows code page shows the 8-bit code) → Unicode letter."""

# Letters of Unicode Vietnamese that Latin-1 also has: never a sign of TCVN3 on their own.
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SIGNATURE = frozenset(chr(code) for code in TCVN3_TABLE) - _VIETNAMESE_LATIN1
_UNICODE_ONLY = re.compile("[ĂăĐđƠơƯư\u1ea0-\u1ef9\u0300-\u0323]")
_WORD = re.compile(r"[^\s\d,.;:()/\\\-\"'|]+")


def looks_tcvn3(texts: Iterable[str]) -> bool:
    """Whether the cells ``texts`` of one file are Vietnamese typed in TCVN3 (ABC) and read as
    a Windows code page: enough words hold a TCVN3-only letter, in cells without a
    Unicode-only Vietnamese letter, and read as syllables once converted; such Unicode cells
    are rare (a header retyped later, say). Thresholds: ``SETTINGS.imports.tcvn3_*``."""
    marked = accented = unicode_cells = syllables = 0
    for text in texts:
        if not text or text.isascii():
            continue
        if _UNICODE_ONLY.search(text):
            unicode_cells += 1
            continue
        words = [w for w in _WORD.findall(text) if not w.isascii()]
        accented += len(words)
        for word in words:
            if any(c in _SIGNATURE for c in word):
                marked += 1
                syllables += is_syllable(from_tcvn3(word))
    cfg = SETTINGS.imports
    return (marked >= cfg.tcvn3_min_words and marked >= cfg.tcvn3_min_share * accented
            and syllables >= cfg.tcvn3_min_syllables * marked
            and unicode_cells <= cfg.tcvn3_max_unicode_share * marked)


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile("(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
                       "[aăâeêioôơuưy]{1,3}(ng|nh|ch|[cmnpt])?")


def is_syllable(word: str) -> bool:
    """Whether ``word`` can be one Vietnamese syllable: an initial consonant, one to three
    vowels, a final consonant, and at most one tone mark (Unicode)."""
    parts = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in parts if c in _TONES) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    return _SYLLABLE.fullmatch(base) is not None


def from_tcvn3(text: str) -> str:
    """One cell of a TCVN3 file in Unicode (NFC); a cell that already holds Unicode-only
    Vietnamese letters is returned as it is."""
    if not text or text.isascii() or _UNICODE_ONLY.search(text):
        return text
    return unicodedata.normalize("NFC", text.translate(TCVN3_TABLE))
