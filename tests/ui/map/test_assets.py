"""The map's JS/CSS served from static/vendor/ instead of CDNs (ui/assets.py)."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import branca.colormap
import branca.element
import folium
import folium.elements
import pytest
from folium.plugins import Fullscreen, MarkerCluster, MeasureControl, Search

from geo.settings import ROOT
from ui.map import assets

CDN_MARKERS = ("cdn.jsdelivr", "cdnjs", "code.jquery", "netdna", "unpkg.com")
LINK = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', re.IGNORECASE)


def _plugin_map() -> folium.Map:
    """A map with every kind of element the app uses: layers, GeoJSON, plugins, a marker."""
    m = folium.Map(location=[22.4, 104.0], zoom_start=9, tiles=None)
    folium.TileLayer("OpenStreetMap").add_to(m)
    group = folium.FeatureGroup(name="points").add_to(m)
    points = folium.GeoJson(
        {"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"name": "A"},
            "geometry": {"type": "Point", "coordinates": [104.0, 22.4]}}]},
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
        popup=folium.GeoJsonPopup(fields=["name"]),
    ).add_to(group)
    folium.Marker([22.4, 104.0], icon=folium.Icon(icon="info-sign", angle=30)).add_to(m)
    cluster = MarkerCluster().add_to(m)
    folium.Marker([22.5, 104.1]).add_to(cluster)
    Fullscreen().add_to(m)
    MeasureControl().add_to(m)
    Search(layer=points, search_label="name").add_to(m)
    folium.LayerControl().add_to(m)
    return m


def _st_folium_links(m: folium.Map) -> list[str]:
    """The URLs streamlit-folium loads into its iframe (it walks JSCSSMixin elements)."""
    links: list[str] = []

    def walk(element: branca.element.Element) -> None:
        if isinstance(element, folium.elements.JSCSSMixin):
            links.extend(url for _, url in element.default_js)
            links.extend(url for _, url in element.default_css)
        for child in element._children.values():
            walk(child)

    walk(m)
    return links


def _fill_vendor(vendor: Path) -> None:
    for asset in assets.ASSETS:
        path = vendor / asset.target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* stand-in */")


@pytest.fixture()
def fake_vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """static/vendor/ with a stand-in for every file, served (static serving on)."""
    vendor = tmp_path / "vendor"
    _fill_vendor(vendor)
    monkeypatch.setattr(assets, "VENDOR_DIR", vendor)
    monkeypatch.setattr(assets, "_static_serving_enabled", lambda: True)
    return vendor


def _assert_all_local(urls: list[str], vendor: Path) -> None:
    assert urls
    remote = [u for u in urls if any(c in u for c in CDN_MARKERS)]
    assert not remote, remote
    for url in urls:
        assert url.startswith(assets.URL_PREFIX + "/"), url
        assert (vendor / url.removeprefix(assets.URL_PREFIX + "/")).is_file(), url


def test_every_default_link_of_the_plugins_is_known() -> None:
    for url in _st_folium_links(_plugin_map()):
        assert assets.local_path(url) is not None, f"no local copy for {url}"


def test_rendered_html_and_st_folium_links_are_local(fake_vendor: Path) -> None:
    m = assets.use_local_assets(_plugin_map())
    html = m.get_root().render()
    _assert_all_local(LINK.findall(html), fake_vendor)
    assert not any(c in html for c in CDN_MARKERS)
    _assert_all_local(_st_folium_links(m), fake_vendor)


def test_the_app_map_is_local(fake_vendor: Path) -> None:
    from geo.layers import DATA_LAYERS, load_layer, load_reference_layers
    from tests.ui.map.support import build_map

    layers = {**load_reference_layers()[0], **{n: load_layer(n) for n in DATA_LAYERS}}
    m = assets.use_local_assets(build_map(layers, "vi"))
    _assert_all_local(_st_folium_links(m), fake_vendor)
    # streamlit-folium adds d3 from CDNs for any branca ColorMap, past any rewriting: the map
    # would never paint offline. Draw colour legends as HTML (as ui.map.legend does) instead.
    assert not any(isinstance(e, branca.colormap.ColorMap) for e in assets._elements(m))
    html = m.get_root().render()
    _assert_all_local(LINK.findall(html), fake_vendor)
    assert not any(c in html for c in CDN_MARKERS)


def test_a_map_rendered_before_is_rewritten_too(fake_vendor: Path) -> None:
    m = _plugin_map()
    m.get_root().render()  # header links now hold the CDN URLs
    assets.use_local_assets(m)
    header = m.get_root().header.render()
    _assert_all_local(LINK.findall(header), fake_vendor)


def test_folium_class_defaults_are_left_alone(fake_vendor: Path) -> None:
    before = (list(folium.Map.default_js), list(Fullscreen.default_css))
    assets.use_local_assets(assets.use_local_assets(_plugin_map()))  # twice: idempotent
    assert (list(folium.Map.default_js), list(Fullscreen.default_css)) == before
    assert folium.Map().default_js[0][1].startswith("https://")


def test_without_the_files_the_cdns_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "vendor")
    monkeypatch.setattr(assets, "_static_serving_enabled", lambda: True)
    assert not assets.local_assets_available()
    m = assets.use_local_assets(_plugin_map())
    assert all(u.startswith("https://") for u in _st_folium_links(m))


def test_without_static_serving_the_cdns_stay(fake_vendor: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assets, "_static_serving_enabled", lambda: False)
    assert not assets.local_assets_available()
    m = assets.use_local_assets(_plugin_map())
    assert all(u.startswith("https://") for u in _st_folium_links(m))


def test_only_cdn_urls_are_mapped() -> None:
    assert assets.local_path("/app/static/vendor/leaflet/leaflet.js") is None
    assert assets.local_path("https://example.org/leaflet@1.9.3/dist/leaflet.js") is not None
    assert assets.local_path("https://cdn.jsdelivr.net/npm/leaflet@2.0.0/dist/leaflet.js") is None
    assert assets.local_path("https://cdn.jsdelivr.net/npm/something@1/x.js") is None


def test_build_vendor_copies_and_writes(tmp_path: Path) -> None:
    modules = tmp_path / "node_modules"
    for asset in assets.ASSETS:
        if asset.source:
            (modules / asset.source).parent.mkdir(parents=True, exist_ok=True)
            (modules / asset.source).write_text(f"/* {asset.source} */")
    for source, _ in assets.ASSET_FOLDERS:
        if Path(source).suffix:
            (modules / source).parent.mkdir(parents=True, exist_ok=True)
            (modules / source).write_text("<svg/>")
        else:
            (modules / source).mkdir(parents=True, exist_ok=True)
            (modules / source / "x.png").write_bytes(b"\x89PNG")
    css = modules / assets.GENERATED_FROM[0]
    css.parent.mkdir(parents=True)
    css.write_text("""
        body { color: red; }
        @font-face { font-family: 'Glyphicons Halflings'; src: url('../fonts/g.woff'); }
        .glyphicon { display: inline-block; }
        .glyphicon-plus:before { content: "+"; }
        .btn, .glyphicon-minus { color: blue; }
        @media print { .glyphicon-x { display: none; } }
    """)
    vendor = tmp_path / "vendor"
    written = assets.build_vendor(modules, vendor)
    for asset in assets.ASSETS:
        assert (vendor / asset.target).is_file(), asset.target
    assert (vendor / "leaflet" / "images" / "x.png").is_file()
    assert len(written) == len(assets.ASSETS) + len(assets.ASSET_FOLDERS)
    glyph = (vendor / "glyphicons" / "css" / "bootstrap-glyphicons.css").read_text()
    assert "Glyphicons Halflings" in glyph and ".glyphicon-plus:before" in glyph
    assert "body" not in glyph and ".btn" not in glyph
    rotate = (vendor / "awesome-markers" / "leaflet.awesome.rotate.min.css").read_text()
    assert ".fa-rotate-30{transform:rotate(30deg)}" in rotate


def test_build_vendor_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="npm ci --prefix web"):
        assets.build_vendor(tmp_path / "node_modules", tmp_path / "vendor")


def test_config_serves_static_files() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_npm_packages_are_pinned() -> None:
    manifest = json.loads((ROOT / "web" / "package.json").read_text(encoding="utf-8"))
    deps: dict[str, str] = manifest["dependencies"]
    assert all(re.fullmatch(r"(npm:[@\w./-]+@)?\d+\.\d+\.\d+", v) for v in deps.values()), deps
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text(encoding="utf-8"))
    for name in deps:
        assert f"node_modules/{name}" in lock["packages"], name
    sources = {a.source for a in assets.ASSETS if a.source}
    sources |= {s for s, _ in assets.ASSET_FOLDERS} | set(assets.GENERATED_FROM)
    for source in sources:
        parts = source.split("/")
        package = "/".join(parts[:2]) if source.startswith("@") else parts[0]
        assert package in deps, f"{source}: {package} is not in web/package.json"


def test_real_vendor_files_are_complete() -> None:
    """After `make assets` (part of `make test`): every file is there and non-empty."""
    if not (assets.VENDOR_DIR / ".installed").exists():
        if os.environ.get("CI"):
            pytest.fail("static/vendor/ was not built: `make test` runs `make assets` (npm ci)")
        pytest.skip("static/vendor/ not built (run `make assets`; needs npm)")
    for asset in assets.ASSETS:
        path = assets.VENDOR_DIR / asset.target
        assert path.is_file() and path.stat().st_size > 0, path
    for _, target in assets.ASSET_FOLDERS:
        assert (assets.VENDOR_DIR / target).exists(), target
    m = assets.use_local_assets(_plugin_map()) if assets.local_assets_available() else None
    if m is not None:
        _assert_all_local(_st_folium_links(m), assets.VENDOR_DIR)
