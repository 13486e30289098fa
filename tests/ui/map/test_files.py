"""Layer data served as content-addressed files (:mod:`ui.map.files`)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
import streamlit as st

from ui.map import files as layer_files
from ui.map.files import URL_PREFIX, MapFiles


def _path(files: MapFiles, url: str) -> Path:
    assert url.startswith(URL_PREFIX + "/")
    return files.folder / url.rsplit("/", 1)[1]


def test_same_content_same_url_and_the_file_holds_it(tmp_path: Path) -> None:
    files = MapFiles(tmp_path / "layers")
    text = '{"type":"FeatureCollection","features":[],"name":"Xã Y Tý"}'
    url = files.url(text)
    assert url == files.url(text)
    assert url.endswith(".json")
    assert hashlib.sha256(text.encode()).hexdigest()[:32] in url
    assert _path(files, url).read_text(encoding="utf-8") == text  # UTF-8, diacritics kept
    other = files.url(text.replace("Y Tý", "Bát Xát"))
    assert other != url
    png = files.url(b"\x89PNG\r\n", ".png")
    assert png.endswith(".png") and _path(files, png).read_bytes() == b"\x89PNG\r\n"
    assert sorted(p.name for p in files.folder.iterdir()) == sorted(
        u.rsplit("/", 1)[1] for u in (url, other, png))  # no temporary files left


def test_prune_deletes_only_files_unused_for_keep_days(tmp_path: Path) -> None:
    files = MapFiles(tmp_path, keep_days=7)
    old, fresh, reused = (files.url(f"layer {i}") for i in range(3))
    eight_days_ago = time.time() - 8 * 86_400
    for url in (old, reused):
        os.utime(_path(files, url), (eight_days_ago, eight_days_ago))
    assert files.url("layer 2") == reused  # used again: its clock restarts
    assert files.prune() == 1
    assert not _path(files, old).exists()
    assert _path(files, fresh).exists() and _path(files, reused).exists()
    assert MapFiles(tmp_path / "missing").prune() == 0


def test_app_map_files_needs_static_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    get_option = st.get_option
    for serving in (False, True):  # the option can only be set at start-up: stand in for it
        monkeypatch.setattr(st, "get_option", lambda key, on=serving: on if key ==
                            "server.enableStaticServing" else get_option(key))
        files = layer_files.app_map_files()
        if serving:
            assert files is not None and files.url_prefix == URL_PREFIX
        else:
            assert files is None  # the map then embeds its layers


def test_folder_that_cannot_be_created_is_not_used(tmp_path: Path) -> None:
    in_the_way = tmp_path / "layers"
    in_the_way.write_text("a file where the folder should be")
    assert layer_files._writable(in_the_way) is False
    assert layer_files._writable(tmp_path / "fine") is True
