"""The land-cover map layer: the PNG of the classes and its legend (pure builders)."""

import base64
import io

import numpy as np
from PIL import Image
from rasterio.transform import from_origin

from analysis.clutter import clutter_correction_db
from i18n import format_float
from ui.map.layers import landcover_spec
from ui.map.raster import LANDCOVER_COLOURS, landcover_image
from ui.map.registry import layer


def _grid():
    classes = np.zeros((30, 30), np.uint8)
    classes[:, :10], classes[:, 10:20], classes[:, 20:] = 10, 40, 50
    classes[:3, :3] = 7  # not a class: transparent
    return classes, from_origin(420_000.0, 2_490_000.0, 90.0, 90.0)


def test_image_holds_the_classes_in_the_worldcover_colours():
    classes, transform = _grid()
    mask = np.ones(classes.shape, bool)
    mask[-1] = False
    image = landcover_image(classes, transform, "EPSG:9208", mask=mask)
    assert image.counts[10] == 300 - 9 - 10 and image.counts[0] == 9 + 30
    png = Image.open(io.BytesIO(base64.b64decode(image.url.split(",", 1)[1])))
    assert png.mode == "P"
    palette = png.getpalette()
    rgb = tuple(palette[3 * 10:3 * 10 + 3])
    assert "#" + "".join(f"{v:02x}" for v in rgb) == LANDCOVER_COLOURS[10]
    used = set(np.unique(np.asarray(png)))
    assert used <= {0, 10, 40, 50}
    (south, west), (north, east) = image.bounds
    assert 21.5 < south < north < 23.0 and 103.5 < west < east < 105.0


def test_legend_lists_classes_largest_first_with_their_loss():
    classes, transform = _grid()
    image = landcover_image(classes, transform, "EPSG:9208")
    spec = landcover_spec(image.url, image.bounds, "vi", source="wc.tif", counts=image.counts,
                          band_mhz=1800.0)
    assert spec.key == "landcover" and "wc.tif" in spec.name and "Lớp phủ" in spec.name
    legend = spec.legend
    assert legend.index("Đất trồng trọt") < legend.index("Cây che phủ")  # 300 > 291 cells
    assert format_float(clutter_correction_db(1800.0, 10), "vi", 1) + " dB" in legend
    row = layer("landcover")
    assert not row.shown and row.draw_rank < layer("coverage").draw_rank
