"""Vietnamese typed in the legacy TCVN3 (ABC) fonts: recognised, converted, imported."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from geo.importers import import_file
from geo.legacy_text import TCVN3_TABLE, from_tcvn3, is_syllable, looks_tcvn3

_TO_TCVN3 = {letter: chr(code) for code, letter in TCVN3_TABLE.items()
             if 0xA1 <= code <= 0xFF}


def to_tcvn3(text: str) -> str:
    """``text`` as a TCVN3 (ABC) file shows it under a Windows code page (test data)."""
    return "".join(_TO_TCVN3.get(c, c) for c in text)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv (glibc) is not installed")
def test_table_is_what_iconv_decodes():
    # One code per line: iconv composes a letter with a combining mark that follows it.
    codes = b"".join(bytes([code]) + b"\n" for code in range(0xA0, 0x100))
    decoded = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=codes,
                             capture_output=True, check=True).stdout.decode("utf-8")
    lines = decoded.split("\n")[:-1]
    assert len(lines) == 0x60
    for code, char in zip(range(0xA0, 0x100), lines, strict=True):
        assert TCVN3_TABLE.get(code, chr(code)) == char, hex(code)


def test_known_place_names():
    assert from_tcvn3("B¶o Th¾ng") == "Bảo Thắng"
    assert from_tcvn3("M\u00adêng Kh\u00ad¬ng") == "Mường Khương"  # ư is the soft hyphen code
    assert from_tcvn3("B¸t X¸t") == "Bát Xát"
    assert from_tcvn3("TP Lµo Cai") == "TP Lào Cai"
    assert from_tcvn3("§iÖn Biªn") == "Điện Biên"
    assert from_tcvn3("Bảo Thắng") == "Bảo Thắng"  # already Unicode: left alone
    assert to_tcvn3("Xã Tả Phời") == "X· T¶ Phêi"


def test_recognised_only_when_it_is_tcvn3():
    names = ["Bảo Thắng", "Mường Khương", "Bát Xát", "Nậm Chảy", "Thôn Sán Sả Hồ"]
    assert looks_tcvn3([to_tcvn3(n) for n in names])
    assert not looks_tcvn3(names)  # Unicode Vietnamese
    assert not looks_tcvn3(["Lào Cai", "Bát Xát", "Sa Pa", "Tả Phìn", "Y Tý"])  # Latin-1 only
    assert not looks_tcvn3(["Müller", "Straße", "Größe", "Köln", "Zürich"])  # German
    assert not looks_tcvn3(["Hà Nội", "Lào Cai", "Sa Pa", to_tcvn3(names[0])])  # one word
    assert not looks_tcvn3(["ABC", "123", ""])
    # a header retyped in Unicode among TCVN3 cells does not stop the file being recognised
    assert looks_tcvn3(["Tên thôn"] + [to_tcvn3(n) for n in names * 3])


def test_syllables():
    for word in ("Nghĩa", "Đô", "Tuyển", "Khương", "giữa", "Quang", "Yên"):
        assert is_syllable(word), word
    for word in ("Straße", "Größe", "Mỹller", "Tẩả"):
        assert not is_syllable(word), word


def test_tcvn3_csv_is_decoded_and_said(tmp_path):
    rows = ["STT;Tên thôn;Xã;Dân số;Kinh độ;Vĩ độ",
            "1;Thôn Sán Sả Hồ;Xã Lùng Phình;412;104.31420;22.62150",
            "2;Bản Mường;Xã Bản Xèo;380;103.78000;22.55500",
            "3;Thôn Nậm Chảy;Xã Nậm Chảy;520;104.12000;22.75000"]
    path = tmp_path / "thon_ban.csv"
    path.write_bytes(to_tcvn3("\r\n".join(rows)).encode("latin-1"))
    report = import_file("villages", path)
    assert report.encoding == "TCVN3 (ABC)"
    assert "tcvn3" in {n.code for n in report.notices}
    names = list(report.preview["name"]) if "name" in report.preview else []
    assert "Thôn Sán Sả Hồ" in names and "Thôn Nậm Chảy" in names, report.preview


def test_tcvn3_spreadsheet_is_converted(tmp_path):
    import openpyxl

    from i18n.messages import warning_texts

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([to_tcvn3("PHỤ LỤC: DANH SÁCH ĐIỂM HỖ TRỢ")])
    sheet.append([to_tcvn3(h) for h in ("STT", "Huyện", "Xã", "Thôn", "Loại điểm")])
    sheet.append([1, to_tcvn3("TP Lào Cai"), to_tcvn3("Xã Tả Phời"), None,
                  to_tcvn3("Xã khu vực III")])
    sheet.append([2, to_tcvn3("Bắc Hà"), to_tcvn3("Lùng Phình"), to_tcvn3("Thôn Sán Sả Hồ"),
                  to_tcvn3("Thôn ĐBKK")])
    sheet.append([3, to_tcvn3("Mường Khương"), to_tcvn3("Nậm Chảy"), None, to_tcvn3("xã")])
    path = tmp_path / "phu_luc_abc.xlsx"
    book.save(path)
    report = import_file("points", path)
    assert report.ok, report.problem_lines()
    points = report.gdf
    assert list(points["commune_code_2020"]) == ["02677", "02848", "02770"]
    assert points.loc[1, "village"] == "Thôn Sán Sả Hồ"
    assert any(w.startswith("Chữ trong tệp được gõ theo bảng mã TCVN3")
               for w in warning_texts(report, "vi"))
