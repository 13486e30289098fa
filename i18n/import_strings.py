"""Texts of the import page (every key starts with ``import.``): part of the one translation
table of :mod:`i18n`. Vietnamese is stored in NFC; placeholders match across languages."""

from __future__ import annotations

IMPORT_STRINGS: dict[str, dict[str, str]] = {
    "import.title": {"vi": "Nhập dữ liệu của tỉnh", "en": "Import the province's data"},
    "import.intro": {
        "vi": "Nhập danh sách trạm BTS, danh sách điểm hỗ trợ, thôn bản, bản đồ cáp quang hoặc "
              "địa hình. Mỗi lần nhập tạo một phiên bản mới; có thể quay lại phiên bản trước. "
              "Tệp có dòng lỗi sẽ không được lưu: sửa tệp rồi nhập lại.",
        "en": "Import BTS lists, the support-point annex, villages, fibre maps or terrain. Each "
              "import creates a new version; you can switch back to an earlier one. A file "
              "with bad rows is not saved: correct it and import it again.",
    },
    "import.workspace_path": {"vi": "Kho dữ liệu: {path}", "en": "Workspace: {path}"},
    "import.workspace_error": {
        "vi": "Không mở được kho dữ liệu: {detail}",
        "en": "Cannot open the workspace: {detail}",
    },
    "import.kind": {"vi": "Loại dữ liệu", "en": "Kind of data"},
    "import.kind.sites": {"vi": "Trạm BTS", "en": "BTS sites"},
    "import.kind.points": {"vi": "Điểm hỗ trợ (phụ lục)", "en": "Support points (annex)"},
    "import.kind.villages": {"vi": "Thôn, bản", "en": "Villages"},
    "import.kind.fibre": {"vi": "Cáp quang (tuyến và nút)", "en": "Fibre (routes and nodes)"},
    "import.kind.dem": {"vi": "Địa hình (DEM)", "en": "Terrain (DEM)"},
    "import.help.sites": {
        "vi": "CSV hoặc Excel của nhà mạng (tọa độ WGS84 hoặc VN-2000), hoặc tệp OpenCelliD.",
        "en": "An operator's CSV or Excel list (WGS84 or VN-2000 coordinates), or an "
              "OpenCelliD extract.",
    },
    "import.help.points": {
        "vi": "Bảng huyện, xã, thôn, loại điểm; có hoặc không có tọa độ. Điểm không có tọa độ "
              "được đặt tại trụ sở xã năm 2025.",
        "en": "A table of district, commune, village and type, with or without coordinates. "
              "Points without coordinates are placed at the 2025 commune's centre.",
    },
    "import.help.villages": {
        "vi": "Tên thôn, xã, dân số và tọa độ (bảng, GeoJSON, KML hoặc Shapefile nén zip).",
        "en": "Village name, commune, population and coordinates (table, GeoJSON, KML or "
              "zipped Shapefile).",
    },
    "import.help.fibre": {
        "vi": "KML/KMZ, Shapefile nén zip, GeoJSON hoặc GeoPackage: đường là tuyến cáp, điểm "
              "là nút.",
        "en": "KML/KMZ, zipped Shapefile, GeoJSON or GeoPackage: lines are routes, points are "
              "nodes.",
    },
    "import.help.dem": {
        "vi": "GeoTIFF, SRTM .hgt hoặc .hgt.zip phủ tỉnh Lào Cai.",
        "en": "GeoTIFF, SRTM .hgt or .hgt.zip covering Lào Cai.",
    },
    "import.file": {"vi": "Chọn tệp", "en": "Choose a file"},
    "import.options": {"vi": "Tùy chọn", "en": "Options"},
    "import.sheet": {"vi": "Trang tính Excel (để trống: trang đầu)",
                     "en": "Excel sheet (empty: the first)"},
    "import.layer": {"vi": "Lớp trong GeoPackage / Shapefile trong zip",
                     "en": "Layer in a GeoPackage / Shapefile in a zip"},
    "import.operator": {"vi": "Nhà mạng của cả tệp (khi tệp không có cột nhà mạng)",
                        "en": "Operator of the whole file (when it has no operator column)"},
    "import.file_error": {"vi": "Không nhập được tệp: {detail}",
                          "en": "The file cannot be imported: {detail}"},
    "import.summary": {
        "vi": "Tệp {file}: đọc {read} dòng, nhận {accepted} dòng, {problems} dòng lỗi.",
        "en": "File {file}: {read} rows read, {accepted} accepted, {problems} with problems.",
    },
    "import.records": {"vi": "Lớp {layer}: {count} bản ghi",
                       "en": "Layer {layer}: {count} records"},
    "import.excluded": {
        "vi": "{count} dòng bị loại có chủ đích (mạng khác, ngoài tỉnh): xem bảng bên dưới.",
        "en": "{count} rows excluded on purpose (other networks, outside the province): see "
              "the table below.",
    },
    "import.already": {
        "vi": "Tệp này đã được nhập trước đây: {versions}.",
        "en": "This file was already imported: {versions}.",
    },
    "import.warnings": {"vi": "Lưu ý khi đọc tệp", "en": "Notes on reading the file"},
    "import.encoding": {"vi": "Bảng mã của tệp: {encoding}", "en": "Text encoding: {encoding}"},
    "import.crs.wgs84": {"vi": "Tọa độ đọc theo WGS84 (kinh độ, vĩ độ).",
                         "en": "Coordinates read as WGS84 longitude/latitude."},
    "import.crs.wgs84_swapped": {
        "vi": "Tọa độ đọc theo WGS84 nhưng kinh độ và vĩ độ bị đổi chỗ: đã đổi lại.",
        "en": "Coordinates read as WGS84 with latitude and longitude swapped: swapped back.",
    },
    "import.crs.vn2000_tm3": {
        "vi": "Tọa độ đọc theo VN-2000, múi 3° kinh tuyến trục 104°45' (EPSG:9208).",
        "en": "Coordinates read as VN-2000 metres, TM-3 zone 104°45' (EPSG:9208).",
    },
    "import.crs.vn2000_tm3_swapped": {
        "vi": "Tọa độ đọc theo VN-2000, múi 3° kinh tuyến trục 104°45' (EPSG:9208), X là "
              "hướng bắc.",
        "en": "Coordinates read as VN-2000 metres, TM-3 zone 104°45' (EPSG:9208), X = "
              "northing.",
    },
    "import.crs.vn2000_utm48": {
        "vi": "Tọa độ đọc theo VN-2000, UTM múi 48N (EPSG:3405).",
        "en": "Coordinates read as VN-2000 metres, UTM zone 48N (EPSG:3405).",
    },
    "import.crs.vn2000_utm48_swapped": {
        "vi": "Tọa độ đọc theo VN-2000, UTM múi 48N (EPSG:3405), X là hướng bắc.",
        "en": "Coordinates read as VN-2000 metres, UTM zone 48N (EPSG:3405), X = northing.",
    },
    "import.crs.ambiguous": {
        "vi": "Cũng có thể là hệ tọa độ khác: hãy hỏi lại đơn vị cung cấp.",
        "en": "Another coordinate system fits almost as well: check with the supplier.",
    },
    # Files refused as a whole (geo.errors.DataError codes): the problem, then the fix.
    "import.error.csv_malformed": {
        "vi": "Tệp CSV bị lỗi hoặc bị cắt cụt ở dòng {line}. Hãy kiểm tra dấu ngoặc kép ở dòng "
              "đó, hoặc xuất lại tệp.",
        "en": "The CSV is malformed or cut short on line {line}. Check the quotes on that "
              "line, or export the file again.",
    },
    "import.error.excel_damaged": {
        "vi": "Tệp Excel bị hỏng hoặc không đầy đủ. Hãy mở bằng Excel và lưu lại dạng .xlsx.",
        "en": "The Excel file is damaged or incomplete. Open it in Excel and save it again as "
              ".xlsx.",
    },
    "import.error.no_sheet": {
        "vi": "Không có trang tính “{sheet}”; các trang: {names}. Hãy chọn một trong các trang "
              "này.",
        "en": "No sheet named “{sheet}”; sheets: {names}. Choose one of these sheets.",
    },
    "import.error.no_layer": {
        "vi": "Không có lớp “{layer}”; các lớp: {names}. Hãy chọn một trong các lớp này.",
        "en": "No layer named “{layer}”; layers: {names}. Choose one of these layers.",
    },
    "import.error.many_layers": {
        "vi": "Tệp có {count} lớp: {names}. Hãy chọn một lớp.",
        "en": "The file holds {count} layers: {names}. Choose one.",
    },
    "import.error.zip_no_shapefile": {
        "vi": "Tệp nén không chứa Shapefile (.shp), KML hay mảnh địa hình. Hãy nén tệp .shp "
              "cùng các tệp .shx, .dbf và .prj đi kèm.",
        "en": "The zip holds no Shapefile (.shp), KML or terrain tile. Zip the .shp with its "
              ".shx, .dbf and .prj files.",
    },
    "import.error.shapefile_incomplete": {
        "vi": "Shapefile không đủ tệp: thiếu {missing}. Hãy nén đủ các tệp .shp, .shx, .dbf và "
              ".prj.",
        "en": "The Shapefile is incomplete: {missing} missing. Zip all parts: .shp, .shx, .dbf "
              "and .prj.",
    },
    "import.error.xls": {
        "vi": "Không đọc được định dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu dạng .xlsx "
              "(hoặc CSV UTF-8).",
        "en": "The old Excel format (.xls) is not read. Open it in Excel and save as .xlsx (or "
              "CSV UTF-8).",
    },
    "import.error.unsupported_type": {
        "vi": "Không nhận loại tệp {suffix}. Hãy dùng CSV, Excel .xlsx, GeoJSON, GeoPackage, "
              "KML/KMZ, Shapefile nén zip hoặc mảnh địa hình (.tif, .hgt, .hgt.zip).",
        "en": "Unsupported file type {suffix}. Use CSV, Excel .xlsx, GeoJSON, GeoPackage, "
              "KML/KMZ, a zipped Shapefile, or a terrain tile (.tif, .hgt, .hgt.zip).",
    },
    "import.error.not_valid": {
        "vi": "Tệp {suffix} không hợp lệ (bị hỏng, hoặc là định dạng khác bị đổi tên). Hãy xuất "
              "lại tệp.",
        "en": "Not a valid {suffix} file (damaged, or another format renamed). Export the file "
              "again.",
    },
    "import.error.terrain_not_table": {
        "vi": "Đây là mảnh địa hình, không phải bảng dữ liệu. Hãy nhập vào mục Địa hình (DEM).",
        "en": "This is a terrain tile, not a table. Import it as terrain (DEM).",
    },
    "import.error.binary": {
        "vi": "Tệp không phải dạng văn bản (có thể là bảng tính hay tệp nén bị đổi tên, hoặc bị "
              "hỏng). Hãy mở bằng Excel và lưu dạng “CSV UTF-8”, hoặc nhập thẳng tệp .xlsx.",
        "en": "The file is binary, not text (a spreadsheet or archive renamed, or damaged). "
              "Open it in Excel and save as 'CSV UTF-8', or import the .xlsx.",
    },
    "import.error.too_large": {
        "vi": "Từ chối: tệp nặng {size} MB, vượt giới hạn {limit} MB. Hãy tách tệp, hoặc chỉ "
              "giữ các dòng của Lào Cai.",
        "en": "Refused: the file is {size} MB, more than the {limit} MB limit. Split it, or "
              "keep only the rows of Lào Cai.",
    },
    "import.error.empty": {"vi": "Tệp rỗng.", "en": "The file is empty."},
    "import.error.no_rows": {"vi": "Tệp không có dòng dữ liệu nào.",
                             "en": "The file has no rows."},
    "import.error.no_coordinates": {
        "vi": "Không có cột tọa độ. Hãy đặt tên cột là “Kinh độ” và “Vĩ độ” (WGS84), hoặc “X” "
              "và “Y” (VN-2000, mét).",
        "en": "No coordinate columns. Name them 'Kinh độ' and 'Vĩ độ' (WGS84), or 'X' and 'Y' "
              "(VN-2000 metres).",
    },
    "import.error.coordinates_unrecognised": {
        "vi": "Tọa độ không khớp WGS84 hay VN-2000 (múi 3° 104°45' hoặc UTM 48N) trong phạm vi "
              "Lào Cai: dòng đầu là {first}. Hãy kiểm tra các cột và hệ tọa độ với đơn vị cung "
              "cấp.",
        "en": "Coordinates not recognised as WGS84 or VN-2000 (TM-3 104°45' or UTM 48N) inside "
              "Lào Cai: the first row reads {first}. Check the columns and the coordinate "
              "system with the supplier.",
    },
    "import.error.no_crs_unrecognised": {
        "vi": "Tệp không khai báo hệ tọa độ và tọa độ không khớp WGS84 hay VN-2000 trong phạm "
              "vi Lào Cai. Hãy lưu tệp kèm hệ tọa độ (.prj / CRS).",
        "en": "The file has no coordinate system and its coordinates are not recognised as "
              "WGS84 or VN-2000 inside Lào Cai. Save it with its coordinate system (.prj / "
              "CRS).",
    },
    "import.error.no_column": {
        "vi": "Thiếu cột “{column}”. Hãy thêm cột này vào tệp.",
        "en": "No column “{column}”. Add it to the file.",
    },
    "import.error.fibre_format": {
        "vi": "Bản đồ cáp quang phải là tệp KML/KMZ, Shapefile nén zip, GeoJSON hoặc "
              "GeoPackage. Hãy xuất các tuyến từ Google Earth hoặc QGIS.",
        "en": "A fibre map must be a KML/KMZ, zipped Shapefile, GeoJSON or GeoPackage file. "
              "Export the routes from Google Earth or QGIS.",
    },
    "import.error.no_features": {"vi": "Tệp không có đường hay điểm nào.",
                                 "en": "The file holds no lines or points."},
    # Warnings of a read or an import (geo.readers.Notice codes); {rows} lists row numbers.
    "import.warn.more": {"vi": " (và {count} dòng khác)", "en": " (+{count} more)"},
    "import.warn.tcvn3": {
        "vi": "Chữ trong tệp được gõ theo bảng mã TCVN3 (ABC, phông .VnTime): đã chuyển sang "
              "Unicode. Hãy xem lại các tên trong bảng xem trước.",
        "en": "The text was typed in the TCVN3 (ABC, .VnTime fonts) encoding: converted to "
              "Unicode. Check the names in the preview.",
    },
    "import.warn.sheet": {"vi": "Đã đọc trang “{sheet}” trong {count} trang: {names}.",
                          "en": "Read sheet “{sheet}” of {count}: {names}."},
    "import.warn.no_prj": {
        "vi": "Shapefile không có tệp .prj: hệ tọa độ được nhận ra từ chính các tọa độ.",
        "en": "The Shapefile has no .prj: the coordinate system was recognised from the "
              "coordinates.",
    },
    "import.warn.no_cpg": {"vi": "Bảng mã thuộc tính (không có tệp .cpg): {encoding}.",
                           "en": "Attribute encoding (no .cpg): {encoding}."},
    "import.warn.header_line": {
        "vi": "Dòng tiêu đề ở dòng {line} (bỏ qua các dòng tên bảng phía trên).",
        "en": "Header found on line {line} (title rows above skipped).",
    },
    "import.warn.crs_declared_outside": {
        "vi": "Tệp khai báo hệ tọa độ {declared}, nhưng theo đó phần lớn đối tượng nằm ngoài "
              "Lào Cai; đã đọc lại:",
        "en": "The file declares {declared}, which puts most features outside Lào Cai; read "
              "again:",
    },
    "import.warn.crs_missing": {"vi": "Tệp không khai báo hệ tọa độ;",
                                "en": "No coordinate system in the file;"},
    "import.warn.fibre_route_kind": {
        "vi": "Tuyến cáp ở dòng {rows} không ghi loại tuyến: coi là tuyến nhánh.",
        "en": "Route row(s) {rows}: kind not stated, assumed access.",
    },
    "import.warn.fibre_node_kind": {
        "vi": "Nút cáp ở dòng {rows} không ghi loại nút: coi là nút thôn, bản.",
        "en": "Node row(s) {rows}: kind not stated, assumed village.",
    },
    "import.warn.fibre_repeated_id": {
        "vi": "Mã {column} bị trùng ở dòng {rows}: đã thêm số dòng để phân biệt.",
        "en": "Repeated {column} made unique with the row number on row(s) {rows}.",
    },
    "import.warn.dem_info": {"vi": "Địa hình theo hệ tọa độ {crs}, {count} mảnh.",
                             "en": "Terrain in {crs}, {count} tile(s)."},
    "import.warn.districts_unknown": {
        "vi": "Không nhận ra huyện: {names}; đã tìm xã trong toàn tỉnh.",
        "en": "District(s) not recognised, communes searched province-wide: {names}.",
    },
    "import.warn.points_at_centre": {
        "vi": "{count} điểm không có tọa độ được đặt tại trụ sở xã (năm 2025) của điểm đó.",
        "en": "{count} point(s) without coordinates placed at their 2025 commune's "
              "administrative centre.",
    },
    "import.warn.commune_by_hand": {"vi": "Xã được chọn tay ở dòng {rows}.",
                                    "en": "Commune chosen by hand on row(s) {rows}."},
    "import.warn.far_from_commune": {
        "vi": "Dòng {rows}: tọa độ nằm ngoài xã đã ghi hơn {distance} m; hãy kiểm tra lại.",
        "en": "Row(s) {rows}: the coordinates lie more than {distance} m outside the commune "
              "named; check them.",
    },
    "import.warn.commune_differs": {
        "vi": "Dòng {rows}: xã ghi trong tệp khác xã chứa tọa độ; đã dùng vị trí theo tọa độ.",
        "en": "Row(s) {rows}: the commune named differs from the one the coordinates fall in; "
              "the location was used.",
    },
    "import.warn.just_outside": {
        "vi": "Dòng {rows}: nằm sát ngoài ranh giới tỉnh; đã gán xã gần nhất.",
        "en": "Row(s) {rows}: just outside the province; given the nearest commune.",
    },
    "import.warn.site_ids_extended": {
        "vi": "Mã trạm trùng giữa các công nghệ hoặc nhà mạng đã được thêm công nghệ (và nhà "
              "mạng) để phân biệt.",
        "en": "Site ids repeated across technologies or operators were extended with the "
              "technology (and operator).",
    },
    "import.warn.operators_unknown": {
        "vi": "Không nhận ra tên nhà mạng, giữ nguyên như trong tệp: {names}.",
        "en": "Operator names not recognised, kept as written: {names}.",
    },
    "import.warn.multi_azimuth": {
        "vi": "Dòng {rows}: một ô có nhiều góc phương vị, tính như ăng-ten vô hướng.",
        "en": "Rows {rows}: several azimuths in one cell, modelled as omni.",
    },
    "import.warn.site_id_made_up": {"vi": "Dòng {rows}: không có mã trạm, đã tự đặt mã.",
                                    "en": "Rows {rows}: no site id, one was made up."},
    "import.warn.parameters_assumed": {
        "vi": "{count} bản ghi lấy băng tần, độ cao hoặc EIRP theo mặc định trong cài đặt "
              "(xem cột “assumed”).",
        "en": "{count} record(s) with band, height or EIRP taken from the settings (see "
              "column 'assumed').",
    },
    "import.warn.opencellid": {
        "vi": "Tệp trích xuất OpenCelliD: vị trí do cộng đồng ước tính, thường lệch hàng trăm "
              "mét; dữ liệu © OpenCelliD, CC BY-SA 4.0.",
        "en": "OpenCelliD extract: positions are crowd-sourced estimates, often hundreds of "
              "metres off; data © OpenCelliD, CC BY-SA 4.0.",
    },
    "import.warn.opencellid_excluded": {
        "vi": "Đã loại {count} dòng (mạng khác, công nghệ không dùng hoặc ngoài Lào Cai): "
              "liệt kê trong báo cáo.",
        "en": "{count} row(s) excluded (other networks, unused radios, or outside Lào Cai): "
              "listed in the report.",
    },
    "import.warn.opencellid_grouped": {
        "vi": "{cells} ô phủ sóng được gộp thành {count} trạm (cùng nhà mạng và công nghệ trong "
              "phạm vi {distance} m); băng tần, độ cao và EIRP lấy theo cài đặt.",
        "en": "{cells} cell(s) grouped into {count} site record(s) (one operator × technology "
              "within {distance} m); band, height and EIRP assumed from the settings.",
    },
    "import.problems": {"vi": "Các dòng lỗi (tệp chưa được lưu)",
                        "en": "Rows with problems (the file is not saved)"},
    "import.col.row": {"vi": "Dòng", "en": "Row"},
    "import.col.column": {"vi": "Cột", "en": "Column"},
    "import.col.problem": {"vi": "Lỗi", "en": "Problem"},
    "import.preview": {"vi": "Xem trước dữ liệu", "en": "Preview"},
    "import.fix_title": {"vi": "Chọn xã cho các dòng chưa khớp tên",
                         "en": "Choose the commune for rows whose name did not match"},
    "import.fix_row": {"vi": "Dòng {row}: “{name}”", "en": "Row {row}: “{name}”"},
    "import.fix_none": {"vi": "— chưa chọn —", "en": "— not chosen —"},
    "import.fix_apply": {"vi": "Áp dụng lựa chọn", "en": "Apply the choices"},
    "import.confirm": {"vi": "Lưu thành phiên bản mới", "en": "Save as a new version"},
    "import.saved": {"vi": "Đã lưu phiên bản {version}.", "en": "Saved version {version}."},
    "import.busy": {
        "vi": "Kho dữ liệu đang bận (một lần nhập khác đang lưu): thử lại sau giây lát.",
        "en": "The workspace is busy (another import is being saved): try again in a moment.",
    },
    "import.not_saved": {"vi": "Chưa lưu: tệp còn dòng lỗi.",
                         "en": "Not saved: the file still has problems."},
    "import.versions": {"vi": "Các phiên bản đã nhập", "en": "Imported versions"},
    "import.no_versions": {
        "vi": "Chưa nhập phiên bản nào: ứng dụng dùng dữ liệu minh họa.",
        "en": "Nothing imported yet: the app uses the illustrative data.",
    },
    "import.in_use": {"vi": "Đang dùng: {version}", "en": "In use: {version}"},
    "import.in_use_illustrative": {"vi": "Đang dùng: dữ liệu minh họa",
                                   "en": "In use: illustrative data"},
    "import.col.version": {"vi": "Phiên bản", "en": "Version"},
    "import.col.time": {"vi": "Thời điểm (UTC)", "en": "Time (UTC)"},
    "import.col.file": {"vi": "Tệp", "en": "File"},
    "import.col.rows": {"vi": "Số bản ghi", "en": "Records"},
    "import.col.checksum": {"vi": "Mã kiểm tra SHA-256", "en": "SHA-256 checksum"},
    "import.col.active": {"vi": "Đang dùng", "en": "Active"},
    "import.switch_choose": {"vi": "Phiên bản", "en": "Version"},
    "import.switch_back": {"vi": "Quay lại phiên bản này", "en": "Switch back to this version"},
    "import.switched": {"vi": "Đang dùng phiên bản {version}.",
                        "en": "Now using version {version}."},
    "import.use_illustrative": {"vi": "Dùng lại dữ liệu minh họa",
                                "en": "Use the illustrative data again"},
    # Problems, by code (geo.import_common.Problem.code).
    "import.problem.missing_value": {"vi": "Thiếu giá trị ({column}).",
                                     "en": "Missing value ({column})."},
    "import.problem.not_number": {"vi": "Không phải số: “{value}”.",
                                  "en": "Not a number: “{value}”."},
    "import.problem.out_of_range": {
        "vi": "Giá trị {value} ngoài khoảng {low}–{high}.",
        "en": "Value {value} outside {low}–{high}.",
    },
    "import.problem.outside": {
        "vi": "Nằm ngoài tỉnh Lào Cai (xa hơn {km} km): kinh độ {lon}, vĩ độ {lat}; kiểm tra "
              "lại tọa độ.",
        "en": "Outside Lào Cai (more than {km} km beyond): lon {lon}, lat {lat}; check the "
              "coordinates.",
    },
    "import.problem.duplicate_id": {"vi": "Mã “{id}” bị trùng, cả ở dòng {other}.",
                                    "en": "Duplicate id “{id}”, also on row {other}."},
    "import.problem.unknown_technology": {
        "vi": "Công nghệ “{value}” không rõ: dùng 2G, 3G, 4G, 5G.",
        "en": "Technology “{value}” not recognised: use 2G, 3G, 4G, 5G.",
    },
    "import.problem.unmatched_commune": {
        "vi": "Không tìm thấy xã “{name}”; gần nhất: {candidates}.",
        "en": "Commune “{name}” not found; closest: {candidates}.",
    },
    "import.problem.ambiguous_commune": {
        "vi": "Tên xã “{name}” trùng nhiều đơn vị: {candidates}.",
        "en": "Commune “{name}” matches several units: {candidates}.",
    },
    "import.problem.bad_code": {"vi": "Mã {code} không phải mã xã năm 2020 của Lào Cai.",
                                "en": "{code} is not a 2020 commune code of Lào Cai."},
    "import.problem.unknown_type": {
        "vi": "Loại điểm “{value}” không rõ: “xã” hoặc “thôn”.",
        "en": "Point type “{value}” not recognised: “commune” or “village”.",
    },
    "import.problem.geometry_type": {"vi": "Hình học phải là {expected}, không phải {found}.",
                                     "en": "Geometry must be {expected}, not {found}."},
    "import.problem.missing_operator": {
        "vi": "Thiếu đơn vị sở hữu tuyến cáp (nhà mạng).",
        "en": "No operator (owner of the cable).",
    },
    "import.problem.truncated": {
        "vi": "Dòng cuối không đầy đủ: tệp có vẻ bị cắt cụt.",
        "en": "The last row is incomplete: the file looks cut short.",
    },
}
