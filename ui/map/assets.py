"""Serve the map's JavaScript and CSS from the app itself instead of public CDNs.

folium writes ``<script src>`` / ``<link href>`` tags pointing at jsDelivr, cdnjs,
code.jquery.com and netdna for Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers and
each plugin (every element's ``default_js`` / ``default_css``). streamlit-folium drops those
tags from the header and instead loads each element's ``default_js`` / ``default_css`` URL into
its component iframe, one after the other, and stops (the map never paints) when one fails,
as it does on a machine without internet access.

:func:`use_local_assets` rewrites those URLs on a map, its children and its figure's header
to ``/app/static/vendor/...``, which Streamlit serves from ``static/vendor/`` when
``server.enableStaticServing`` is on (``.streamlit/config.toml``). The component iframe is on
the app's own origin, so these root-relative URLs resolve to the app server::

    m = use_local_assets(assemble_map(specs, lang))

The files come from the npm packages pinned in ``web/package.json``: ``make run`` and
``make test`` run ``npm ci --prefix web`` and then ``python -m ui.map.assets``, which copies the
needed dist files (and the images and fonts their CSS refers to) into ``static/vendor/``.
Without npm (or before that step), :func:`local_assets_available` is false and the map keeps
its CDN URLs. :data:`ASSETS` is the one table of which CDN URL is which local file.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import branca.element
import folium

ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR: Path = ROOT / "static"
VENDOR_DIR: Path = STATIC_DIR / "vendor"
NODE_MODULES: Path = ROOT / "web" / "node_modules"
URL_PREFIX: str = "/app/static/vendor"
"""Where Streamlit serves ``static/vendor/`` (``server.enableStaticServing``)."""


@dataclass(frozen=True)
class Asset:
    """One browser file: the CDN URLs it replaces and where it comes from.

    ``pattern`` is searched in a CDN URL (any version of the same major release); ``target`` is
    the path under ``static/vendor/``; ``source`` the file under ``web/node_modules/`` it is
    copied from, or None for a file :func:`build_vendor` writes itself.
    """

    pattern: str
    target: str
    source: str | None

    def matches(self, url: str) -> bool:
        return re.search(self.pattern, url, flags=re.IGNORECASE) is not None


ASSETS: tuple[Asset, ...] = (
    # folium.Map: Leaflet, jQuery, Bootstrap 5, Font Awesome 6, awesome-markers.
    Asset(r"/leaflet@1\.[^/]*/dist/leaflet\.js$", "leaflet/leaflet.js", "leaflet/dist/leaflet.js"),
    Asset(r"/leaflet@1\.[^/]*/dist/leaflet\.css$", "leaflet/leaflet.css",
          "leaflet/dist/leaflet.css"),
    Asset(r"/jquery-3\.[\d.]+\.min\.js$", "jquery/jquery.min.js", "jquery/dist/jquery.min.js"),
    Asset(r"/bootstrap@5\.[^/]*/dist/js/bootstrap\.bundle\.min\.js$",
          "bootstrap/js/bootstrap.bundle.min.js", "bootstrap/dist/js/bootstrap.bundle.min.js"),
    Asset(r"/bootstrap@5\.[^/]*/dist/css/bootstrap\.min\.css$", "bootstrap/css/bootstrap.min.css",
          "bootstrap/dist/css/bootstrap.min.css"),
    Asset(r"/bootstrap-glyphicons\.css$", "glyphicons/css/bootstrap-glyphicons.css", None),
    Asset(r"/@fortawesome/fontawesome-free@6\.[^/]*/css/all\.min\.css$",
          "fontawesome/css/all.min.css", "@fortawesome/fontawesome-free/css/all.min.css"),
    Asset(r"/leaflet\.awesome-markers/2\.[^/]*/leaflet\.awesome-markers(\.min)?\.js$",
          "awesome-markers/leaflet.awesome-markers.js",
          "leaflet.awesome-markers/dist/leaflet.awesome-markers.js"),
    Asset(r"/leaflet\.awesome-markers/2\.[^/]*/leaflet\.awesome-markers\.css$",
          "awesome-markers/leaflet.awesome-markers.css",
          "leaflet.awesome-markers/dist/leaflet.awesome-markers.css"),
    Asset(r"/leaflet\.awesome\.rotate(\.min)?\.css$",
          "awesome-markers/leaflet.awesome.rotate.min.css", None),
    # folium.plugins.Fullscreen (jsDelivr minifies on the fly: npm has only the plain file).
    Asset(r"/leaflet\.fullscreen@3\.[^/]*/Control\.FullScreen(\.min)?\.js$",
          "fullscreen/Control.FullScreen.js", "leaflet.fullscreen/Control.FullScreen.js"),
    Asset(r"/leaflet\.fullscreen@3\.[^/]*/Control\.FullScreen\.css$",
          "fullscreen/Control.FullScreen.css", "leaflet.fullscreen/Control.FullScreen.css"),
    # folium.plugins.MeasureControl (the npm release of the same tag; no minified CSS there).
    Asset(r"/leaflet-measure@2\.[^/]*/dist/leaflet-measure(\.min)?\.js$",
          "leaflet-measure/leaflet-measure.min.js", "leaflet-measure/dist/leaflet-measure.min.js"),
    Asset(r"/leaflet-measure@2\.[^/]*/dist/leaflet-measure(\.min)?\.css$",
          "leaflet-measure/leaflet-measure.css", "leaflet-measure/dist/leaflet-measure.css"),
    # folium.plugins.Search (its CSS refers to ../images/).
    Asset(r"/leaflet-search@2\.[^/]*/dist/leaflet-search(\.min)?\.js$",
          "leaflet-search/dist/leaflet-search.min.js", "leaflet-search/dist/leaflet-search.min.js"),
    Asset(r"/leaflet-search@2\.[^/]*/dist/leaflet-search(\.min)?\.css$",
          "leaflet-search/dist/leaflet-search.min.css",
          "leaflet-search/dist/leaflet-search.min.css"),
    # folium.plugins.MarkerCluster (cdnjs layout, or jsDelivr's dist/).
    Asset(r"/leaflet\.markercluster[/@]1\.[^/]*/(dist/)?leaflet\.markercluster\.js$",
          "markercluster/leaflet.markercluster.js",
          "leaflet.markercluster/dist/leaflet.markercluster.js"),
    Asset(r"/leaflet\.markercluster[/@]1\.[^/]*/(dist/)?MarkerCluster\.css$",
          "markercluster/MarkerCluster.css", "leaflet.markercluster/dist/MarkerCluster.css"),
    Asset(r"/leaflet\.markercluster[/@]1\.[^/]*/(dist/)?MarkerCluster\.Default\.css$",
          "markercluster/MarkerCluster.Default.css",
          "leaflet.markercluster/dist/MarkerCluster.Default.css"),
)

# Folders the CSS files above refer to (url(images/...), ../webfonts/...): source → target.
ASSET_FOLDERS: tuple[tuple[str, str], ...] = (
    ("leaflet/dist/images", "leaflet/images"),
    ("@fortawesome/fontawesome-free/webfonts", "fontawesome/webfonts"),
    ("bootstrap3/dist/fonts", "glyphicons/fonts"),
    ("leaflet.awesome-markers/dist/images", "awesome-markers/images"),
    ("leaflet.fullscreen/icon-fullscreen.svg", "fullscreen/icon-fullscreen.svg"),
    ("leaflet-measure/dist/images", "leaflet-measure/images"),
    ("leaflet-search/images", "leaflet-search/images"),
)

# Files :func:`build_vendor` reads to write the assets whose ``source`` is None.
GENERATED_FROM: tuple[str, ...] = ("bootstrap3/dist/css/bootstrap.css",)

_CDN_URL: str = r"^(https?:)?//"  # an absolute or protocol-relative URL


def local_path(url: str) -> Path | None:
    """The file under ``static/vendor/`` that replaces CDN ``url`` (None: not one we serve)."""
    if not re.match(_CDN_URL, url, flags=re.IGNORECASE):
        return None
    for asset in ASSETS:
        if asset.matches(url):
            return VENDOR_DIR / asset.target
    return None


def local_url(url: str) -> str:
    """``/app/static/vendor/...`` for ``url`` when its local file exists, else ``url`` itself."""
    path = local_path(url)
    if path is None or not path.is_file():
        return url
    return f"{URL_PREFIX}/{path.relative_to(VENDOR_DIR).as_posix()}"


def _static_serving_enabled() -> bool:
    """Whether Streamlit serves ``static/`` (read from its config; True outside Streamlit)."""
    try:
        from streamlit import config
    except ImportError:  # pragma: no cover - streamlit is a pinned requirement
        return True
    return bool(config.get_option("server.enableStaticServing"))


def local_assets_available() -> bool:
    """True when every file of :data:`ASSETS` is in ``static/vendor/`` and Streamlit serves it."""
    files = all((VENDOR_DIR / asset.target).is_file() for asset in ASSETS)
    return files and _static_serving_enabled()


def _elements(root: branca.element.Element) -> Iterator[branca.element.Element]:
    yield root
    for child in list(root._children.values()):
        yield from _elements(child)


def use_local_assets(m: folium.Map) -> folium.Map:
    """Point every default JS/CSS URL of ``m`` at ``/app/static/vendor/`` when served locally.

    Rewrites, per element instance (never folium's class lists), the ``default_js`` and
    ``default_css`` of ``m`` and all its descendants, which both folium's HTML and
    streamlit-folium read, and the script and style links already in its figure's header (a
    map rendered before). URLs with no local copy stay on their CDN. Returns ``m`` unchanged
    when :func:`local_assets_available` is false; calling it twice is harmless.

    One thing it cannot reach: streamlit-folium itself adds d3 from CDNs for a branca
    ``ColorMap`` anywhere in the map, so the map must not hold one (draw legends as HTML).
    """
    if not local_assets_available():
        return m
    for element in _elements(m):
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if links:
                setattr(element, attr, [(name, local_url(url)) for name, url in links])
    root = m.get_root()
    if isinstance(root, branca.element.Figure):
        for link in root.header._children.values():
            if isinstance(link, branca.element.JavascriptLink | branca.element.CssLink):
                link.url = local_url(link.url)
    return m


# --- copying the files out of web/node_modules ---------------------------------------------

def _glyphicons_css(bootstrap3_css: str) -> str:
    """Bootstrap 3's Glyphicons rules only (what netdna's bootstrap-glyphicons.css holds)."""
    rules = []
    for match in re.finditer(r"([^{}]+)\{([^{}]*)\}", bootstrap3_css):
        selector, body = match.group(1).strip(), match.group(2)
        selector = re.sub(r"/\*.*?\*/", "", selector, flags=re.DOTALL).strip()
        is_font = selector == "@font-face" and "Glyphicons Halflings" in body
        parts = [s.strip() for s in selector.split(",")]
        if is_font or all(p.startswith(".glyphicon") for p in parts):
            rules.append(f"{selector} {{{body}}}")
    if not rules:
        raise ValueError("no Glyphicons rules found in Bootstrap 3's CSS")
    return "/* Glyphicons Halflings rules of Bootstrap 3.4.1 (MIT licence) */\n" + "\n".join(rules)


def _rotate_css() -> str:
    """``.fa-rotate-N`` classes folium gives a rotated awesome-marker icon (N in 0–360°)."""
    return "".join(f".fa-rotate-{n}{{transform:rotate({n}deg)}}" for n in range(361)) + "\n"


def _generated(target: str, node_modules: Path) -> str:
    if target.startswith("glyphicons/"):
        css = (node_modules / GENERATED_FROM[0]).read_text(encoding="utf-8")
        return _glyphicons_css(css)
    if target.endswith("leaflet.awesome.rotate.min.css"):
        return _rotate_css()
    raise KeyError(target)


def build_vendor(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy (or write) every file of :data:`ASSETS` and :data:`ASSET_FOLDERS` to ``vendor_dir``.

    ``vendor_dir`` is emptied first. Raises FileNotFoundError naming a missing source (run
    ``npm ci --prefix web`` first). Returns the files written.
    """
    missing = [a.source for a in ASSETS if a.source and not (node_modules / a.source).exists()]
    missing += [src for src, _ in ASSET_FOLDERS if not (node_modules / src).exists()]
    missing += [src for src in GENERATED_FROM if not (node_modules / src).exists()]
    if missing:
        raise FileNotFoundError(f"not in {node_modules}: {', '.join(missing)}; "
                                "run `npm ci --prefix web` first")
    if vendor_dir.exists():
        shutil.rmtree(vendor_dir)
    written: list[Path] = []
    for asset in ASSETS:
        dest = vendor_dir / asset.target
        dest.parent.mkdir(parents=True, exist_ok=True)
        if asset.source is None:
            dest.write_text(_generated(asset.target, node_modules), encoding="utf-8")
        else:
            shutil.copyfile(node_modules / asset.source, dest)
        written.append(dest)
    for source, target in ASSET_FOLDERS:
        src, dest = node_modules / source, vendor_dir / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest)
            written.extend(p for p in dest.rglob("*") if p.is_file())
        else:
            shutil.copyfile(src, dest)
            written.append(dest)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m ui.map.assets``: fill ``static/vendor/`` from ``web/node_modules/``."""
    del argv
    if not NODE_MODULES.is_dir():
        print(f"{NODE_MODULES} is missing (run `npm ci --prefix web`): "
              "the map loads its JavaScript and CSS from CDNs.", file=sys.stderr)
        return 1
    written = build_vendor()
    size = sum(p.stat().st_size for p in written)
    print(f"static/vendor: {len(written)} files, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
