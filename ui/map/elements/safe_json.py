"""JSON text that is safe inside an HTML ``<script>`` element (see :mod:`ui.map.elements`)."""

from __future__ import annotations

import json
from typing import Any


def script_json(value: Any) -> str:
    """Compact JSON text of ``value`` that is safe inside an HTML ``<script>`` element.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # "{{", "{%" and "{#" never occur in JSON structure, only inside strings: break them up so
    # that no template engine can read the data as a tag.
    return text.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")
