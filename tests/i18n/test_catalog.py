"""The gettext catalog and the translator: every msgid translated (no fuzzy, NFC, placeholders
kept), ``msgfmt --check-format`` clean, extraction up to date, and one session's language
never reaching another's."""

from __future__ import annotations

import builtins
import gettext
import os
import shutil
import string
import subprocess
import threading
import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from i18n import translator
from i18n.translator import N_, NP_, catalog_path, nt, pt, t

ROOT = Path(__file__).resolve().parents[2]
PO = catalog_path("vi")
# The sources `make i18n` extracts from (Makefile, I18N_SOURCES).
SOURCES = ("app.py", "ui", "analysis", "geo", "i18n", "report")


def _catalog() -> Catalog:
    with PO.open("rb") as fp:
        return read_po(fp, locale="vi")


def _messages() -> list:
    return [m for m in _catalog() if m.id]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_vietnamese_has_one_plural_form() -> None:
    assert _catalog().plural_forms == "nplurals=1; plural=0;"


def test_every_msgid_translated_not_fuzzy_and_nfc() -> None:
    messages = _messages()
    assert len(messages) > 300
    for m in messages:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(s.strip() for s in strs), f"untranslated: {ids[0]!r}"
        assert not m.fuzzy, f"fuzzy: {ids[0]!r}"
        for text in (*ids, *strs, m.context or ""):
            assert unicodedata.is_normalized("NFC", text), text
        for s in strs:
            assert _fields(s) == _fields(ids[-1]), ids[0]


def test_msgfmt_check_format_is_clean() -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (Debian gettext) not installed: `make test` installs it")
    done = subprocess.run([msgfmt, "--check-format", "--check-header", "-o", "/dev/null",
                           str(PO)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_extraction_is_up_to_date(tmp_path: Path) -> None:
    """Every msgid in the code (extracted as `make i18n` does) is in the catalog."""
    pot = tmp_path / "laocai.pot"
    sources = [s for s in SOURCES if (ROOT / s).exists()]
    CommandLineInterface().run(["pybabel", "-q", "extract", "--mapping-file",
                                str(ROOT / "pyproject.toml"), "--output-file", str(pot),
                                *sources])
    with pot.open("rb") as fp:
        template = read_po(fp)
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _messages()}
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    assert len(wanted) > 300
    missing = sorted(wanted - have, key=str)
    assert not missing, f"run `make i18n` and translate: {missing}"


def test_translator_never_installs_a_global() -> None:
    t("vi", "BTS sites")
    # (doctest's display hook may leave an unrelated ``_`` there)
    owner = getattr(getattr(builtins, "_", None), "__self__", None)
    assert not isinstance(owner, gettext.NullTranslations)


def test_unknown_language_raises() -> None:
    with pytest.raises(KeyError):
        t("fr", "BTS sites")


def test_english_is_the_msgid_and_marks_are_plain() -> None:
    assert t("en", N_("BTS sites")) == "BTS sites"
    assert t("vi", "BTS sites") == "Trạm BTS"
    assert t("en", "{n} km", n=3) == "3 km"
    marked = NP_("a context", "Some text")
    assert marked == "Some text" and marked.context == "a context"


def test_threads_never_see_each_other_s_language() -> None:
    vi, en = t("vi", "BTS sites"), t("en", "BTS sites")
    assert vi != en
    translator.clear_cache()
    seen: dict[str, set[str]] = {"vi": set(), "en": set()}
    start = threading.Barrier(8)

    def work(lang: str) -> None:
        start.wait()
        for _ in range(2000):
            seen[lang].add(t(lang, "BTS sites"))

    threads = [threading.Thread(target=work, args=(lang,)) for lang in ("vi", "en") * 4]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert seen == {"vi": {vi}, "en": {en}}


SESSION_SCRIPT = """
import streamlit as st
from ui.pages.import_data import render
render(st.session_state["lang"])
"""


def test_two_sessions_keep_their_own_language(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LAOCAI_WORKSPACE", str(tmp_path / "ws" / "workspace.gpkg"))
    sessions = {}
    for lang in ("vi", "en", "vi"):
        at = AppTest.from_string(SESSION_SCRIPT, default_timeout=60)
        at.session_state["lang"] = lang
        sessions.setdefault(lang, []).append(at.run())
    for at in sessions["en"] + sessions["vi"]:
        at.run()  # rerun in turns: each keeps its language
    headers = {lang: {at.header[0].value for at in ats} for lang, ats in sessions.items()}
    assert headers["en"] == {"Import the province's data"}
    assert headers["vi"] == {t("vi", "Import the province's data")} != headers["en"]


def test_po_compiled_in_memory_when_the_mo_is_missing_or_stale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = Catalog(locale="vi", domain=translator.DOMAIN)
    catalog.add("Site", "Trạm")
    catalog.add("Site", "Vị trí", context="place")
    catalog.add(("{n} site", "{n} sites"), ("{n} trạm",))
    po = tmp_path / "vi" / "LC_MESSAGES" / f"{translator.DOMAIN}.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as fp:
        write_po(fp, catalog)
    (po.with_suffix(".mo")).write_bytes(b"stale")  # older than the .po below: not read
    os.utime(po.with_suffix(".mo"), (0, 0))
    monkeypatch.setattr(translator, "LOCALE_DIR", tmp_path)
    translator.clear_cache()
    try:
        assert t("vi", "Site") == "Trạm"
        assert pt("vi", "place", "Site") == t("vi", NP_("place", "Site")) == "Vị trí"
        assert nt("vi", "{n} site", "{n} sites", 1) == "1 trạm"
        assert nt("vi", "{n} site", "{n} sites", 5) == "5 trạm"
        assert nt("en", "{n} site", "{n} sites", 1) == "1 site"
        assert nt("en", "{n} site", "{n} sites", 5) == "5 sites"
    finally:
        translator.clear_cache()


def test_coded_errors_for_the_command_line() -> None:
    from geo.errors import DataError
    from i18n.messages import cli_error

    exc = DataError("the file is empty.", source="a.csv", code="empty")
    assert cli_error(exc, "en") == str(exc)
    assert cli_error(exc, "vi") == "a.csv: " + t("vi", "The file is empty.")
    assert cli_error(exc, "vi") != cli_error(exc, "en")
    plain = DataError("something new.")
    assert cli_error(plain, "vi") == str(plain)
