"""Page CSS of the planner's map."""

from __future__ import annotations

from branca.element import MacroElement, Template


class MapStyle(MacroElement):
    """Page CSS for the map: compact layer control, readable tooltips and popups."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-control-layers-expanded { font-size: 12.5px; line-height: 1.35;
                padding: 5px 9px; max-height: 60vh; overflow-y: auto; }
            .leaflet-control-layers label { margin-bottom: 1px; font-weight: normal; }
            .leaflet-tooltip table, .leaflet-popup-content table { border-collapse: collapse; }
            .leaflet-tooltip th, .leaflet-popup-content th { padding: 1px 8px 1px 0;
                vertical-align: top; font-weight: 600; color: #444; text-align: left; }
            .leaflet-tooltip td, .leaflet-popup-content td { padding: 1px 0; }
            .leaflet-tooltip.laocai-tip { font-size: 12px; min-width: 240px; max-width: 380px;
                white-space: normal; }
            .leaflet-tooltip.laocai-tip th { white-space: nowrap; }
            .leaflet-popup-content { font-size: 12.5px; min-width: 240px; }
            .laocai-title { font-weight: 700; font-size: 13px; margin-bottom: 3px; }
            .laocai-icon { background: none; border: none; }
            body { margin: 0; }
            .leaflet-container { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans",
                "Helvetica Neue", Arial, sans-serif; }
            .laocai-alerts { position: absolute; top: 8px; left: 50%; z-index: 2000;
                transform: translateX(-50%); display: flex; flex-direction: column;
                gap: 4px; }
            .laocai-failed { background: #fdecea; color: #611a15; border: 1px solid #f5c6cb;
                border-radius: 4px; padding: 6px 10px; font: 13px system-ui, sans-serif; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapStyle"
