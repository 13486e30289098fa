"""Strings of the leadership briefing (part of the one translation table of :mod:`i18n`)."""

REPORT_STRINGS: dict[str, dict[str, str]] = {
    "brief.title": {"vi": "Báo cáo nhanh: hạ tầng kết nối tại các điểm hỗ trợ đồng bào dân tộc "
                          "thiểu số ứng dụng CNTT, tỉnh Lào Cai",
                    "en": "Briefing: connectivity at the IT-support points for ethnic-minority "
                          "people, Lào Cai province"},
    "brief.date": {"vi": "Ngày lập: {date}", "en": "Date: {date}"},
    "brief.data_box": {"vi": "Dữ liệu và giả định", "en": "Data and assumptions"},
    "brief.layer": {"vi": "Lớp dữ liệu", "en": "Layer"},
    "brief.status": {"vi": "Tình trạng", "en": "Status"},
    "brief.origin": {"vi": "Nguồn", "en": "Source"},
    "brief.status.official": {"vi": "Thật (chính thức)", "en": "Real (official)"},
    "brief.status.imported": {"vi": "Đã nhập (thật)", "en": "Imported (real)"},
    "brief.status.illustrative": {"vi": "MINH HỌA – không phải số liệu thật",
                                  "en": "ILLUSTRATIVE – not real data"},
    "brief.status.mixed": {"vi": "Hỗn hợp", "en": "Mixed"},
    "brief.illustrative_warning": {
        "vi": "Cảnh báo: báo cáo này dùng dữ liệu minh họa ({layers}). Các con số chỉ để "
              "minh họa cách dùng công cụ, không dùng để ra quyết định.",
        "en": "Warning: this briefing uses illustrative data ({layers}). The figures only "
              "illustrate the tool and must not be used for decisions."},
    "brief.assumptions": {
        "vi": "Ngưỡng phủ sóng {tech}: {threshold:g} dBm; nhà mạng: {operators}; độ phân giải "
              "lưới: {res:g} m; vùng cáp quang: {reach:g} m.",
        "en": "{tech} coverage threshold: {threshold:g} dBm; operators: {operators}; grid: "
              "{res:g} m; fibre reach: {reach:g} m."},
    "brief.terrain_yes": {"vi": "Đã tính địa hình ({source}).",
                          "en": "Terrain included ({source})."},
    "brief.terrain_no": {"vi": "Chưa nạp địa hình: vùng phủ ở vùng núi là lạc quan.",
                         "en": "Terrain not loaded: coverage is optimistic in mountains."},
    "brief.all_operators": {"vi": "tất cả", "en": "all"},
    "brief.headline": {"vi": "Các chỉ số chính", "en": "Headline figures"},
    "brief.figure": {"vi": "Chỉ số", "en": "Figure"},
    "brief.value": {"vi": "Tính từ dữ liệu", "en": "Computed"},
    "brief.published": {"vi": "Số liệu công bố", "en": "Published"},
    "brief.map": {"vi": "Bản đồ: điểm hỗ trợ và vùng phủ sóng {tech}",
                  "en": "Map: support points and {tech} coverage"},
    "brief.legend.covered": {"vi": "Có sóng {tech}", "en": "{tech} coverage"},
    "brief.legend.gap": {"vi": "Vùng lõm sóng {tech}", "en": "{tech} gap"},
    "brief.legend.sites": {"vi": "Trạm BTS", "en": "BTS sites"},
    "brief.legend.communes": {"vi": "Ranh giới xã, phường (2025)",
                              "en": "Commune boundaries (2025)"},
    "brief.points_gap": {"vi": "Điểm hỗ trợ trong vùng lõm", "en": "Support points in a gap"},
    "brief.no_points_gap": {"vi": "Không có điểm hỗ trợ nào trong vùng lõm.",
                            "en": "No support point is in a gap."},
    "brief.col.name": {"vi": "Tên", "en": "Name"},
    "brief.col.district": {"vi": "Huyện (2020)", "en": "District (2020)"},
    "brief.col.commune": {"vi": "Xã, phường (2025)", "en": "Commune (2025)"},
    "brief.col.reason": {"vi": "Lý do", "en": "Reason"},
    "brief.col.signal": {"vi": "Tín hiệu (dBm)", "en": "Signal (dBm)"},
    "brief.col.fibre": {"vi": "Cách cáp quang (m)", "en": "To fibre (m)"},
    "brief.col.population": {"vi": "Dân số", "en": "Population"},
    "brief.col.without": {"vi": "Không có sóng (% dân số)", "en": "Without service (% people)"},
    "brief.col.points": {"vi": "Số điểm", "en": "Points"},
    "brief.col.working": {"vi": "Có kết nối", "en": "Connected"},
    "brief.col.mobile": {"vi": "Có sóng {tech}", "en": "With {tech}"},
    "brief.col.with_fibre": {"vi": "Có cáp quang", "en": "With fibre"},
    "brief.communes": {"vi": "Xã, phường xếp theo tỷ lệ dân số chưa có sóng {tech}",
                       "en": "Communes ranked by the share of people without {tech}"},
    "brief.districts": {"vi": "Theo huyện cũ: số điểm theo kế hoạch và số điểm có kết nối",
                        "en": "Per old district: planned points and how many are connected"},
    "brief.connected_note": {
        "vi": "Có kết nối: có sóng {tech} hoặc cáp quang trong phạm vi {reach:g} m.",
        "en": "Connected: {tech} signal, or fibre within {reach:g} m."},
    "brief.scenario": {"vi": "Phương án: {name}", "en": "Scenario: {name}"},
    "brief.before": {"vi": "Hiện trạng", "en": "Today"},
    "brief.after": {"vi": "Sau phương án", "en": "With the scenario"},
    "brief.proposed": {"vi": "Trạm đề xuất", "en": "Proposed sites"},
    "brief.col.site": {"vi": "Mã trạm", "en": "Site"},
    "brief.col.operator": {"vi": "Nhà mạng", "en": "Operator"},
    "brief.col.position": {"vi": "Vị trí (kinh độ, vĩ độ)", "en": "Position (lon, lat)"},
    "brief.recommend": {"vi": "Việc cần làm", "en": "What to do"},
    "brief.recommend.text": {
        "vi": "{gap} điểm hỗ trợ chưa có sóng {tech}; {neither} điểm không có cả sóng lẫn cáp "
              "quang. Ưu tiên xử lý các điểm trong bảng trên: điểm khuất địa hình cần trạm mới "
              "hoặc nâng cột, điểm ngoài vùng phủ cần trạm mới, điểm sóng yếu có thể nâng công "
              "suất hoặc dùng cáp quang nếu tuyến ở gần.",
        "en": "{gap} support points have no {tech}; {neither} have neither signal nor fibre. "
              "Address the points in the table above first: points in a terrain shadow need a "
              "new or taller site, points out of range a new site, points with a weak signal "
              "more power or fibre where a route is near."},
    "brief.footer": {"vi": "Lập bằng công cụ quy hoạch kết nối Lào Cai. Ranh giới: gis.vn, "
                           "sapnhap.bando.com.vn; © OpenStreetMap contributors (ODbL).",
                     "en": "Made with the Lào Cai connectivity planner. Boundaries: gis.vn, "
                           "sapnhap.bando.com.vn; © OpenStreetMap contributors (ODbL)."},
    "brief.scale": {"vi": "{km:g} km", "en": "{km:g} km"},
    "brief.north": {"vi": "B", "en": "N"},
    "brief.reason.out_of_range": {"vi": "Ngoài vùng phủ của trạm", "en": "Out of range"},
    "brief.reason.terrain_shadow": {"vi": "Bị địa hình che khuất", "en": "Terrain shadow"},
    "brief.reason.weak_signal": {"vi": "Sóng yếu", "en": "Weak signal"},
    "brief.reason.fibre_only": {"vi": "Chỉ thiếu cáp quang", "en": "No fibre only"},
    "layer.boundaries": {"vi": "Ranh giới, mã hành chính", "en": "Boundaries, admin codes"},
}
