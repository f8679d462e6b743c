"""A ruled table on a scanned page: its rules found on the image (skew included), each cell read on its own,
the table given back row by row and read as a table of targets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from knowledge.ingest import read_document, tesseract_available
from knowledge.ingest.ocr_tables import Word, find_tables, sheet

ROWS = [["STT", "Chỉ tiêu", "Năm 2027", "Năm 2028"],
        ["1", "Tỷ lệ hồ sơ xử lý trực tuyến", "65%", "85%"],
        ["2", "Số hợp tác xã bán hàng trực tuyến", "12 hợp tác xã", "20 hợp tác xã"]]
COLUMNS = [200, 360, 1300, 1800, 2300]  # x of the column rules
TOP, ROW = 700, 150                      # y of the first row rule, height of a row


def _font(size: int) -> ImageFont.FreeTypeFont:
    import matplotlib

    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"), size)


def _page(skew: float = 0.0, noise: bool = False) -> Image.Image:
    """An A4 page at 300 dpi: a heading, a lead line, the table drawn with rules, a line after it."""
    page = Image.new("L", (2480, 1500), 255)
    draw, font = ImageDraw.Draw(page), _font(42)
    draw.text((200, 400), "2. Lộ trình chỉ tiêu", font=font, fill=0)
    draw.text((200, 520), "Các đơn vị căn cứ bảng sau để xây dựng chỉ tiêu:", font=font, fill=0)
    bottom = TOP + ROW * len(ROWS)
    for n in range(len(ROWS) + 1):
        draw.line([(COLUMNS[0], TOP + n * ROW), (COLUMNS[-1], TOP + n * ROW)], fill=0, width=3)
    for x in COLUMNS:
        draw.line([(x, TOP), (x, bottom)], fill=0, width=3)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            draw.text((COLUMNS[c] + 20, TOP + r * ROW + 50), text, font=font, fill=0)
    draw.text((200, bottom + 120), "3. Thời gian thực hiện", font=font, fill=0)
    if noise:
        pixels = np.asarray(page, dtype=float) - np.random.default_rng(7).uniform(0, 60, (1500, 2480))
        page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return page.rotate(skew, fillcolor=255, resample=Image.BICUBIC) if skew else page


@pytest.mark.parametrize("skew", [0.0, 0.4, -0.5])
def test_the_rules_of_a_table_are_found_on_a_skewed_scan(skew):
    tables = find_tables(np.asarray(_page(skew, noise=True)))
    assert [(len(t.rows), len(t.columns)) for t in tables] == [(len(ROWS) + 1, len(COLUMNS))]


def test_text_lines_and_underlines_are_no_table():
    page = Image.new("L", (2480, 1500), 255)
    draw = ImageDraw.Draw(page)
    for n in range(6):
        draw.text((200, 300 + n * 120), "Phấn đấu 100% hồ sơ được xử lý trên môi trường mạng", font=_font(42), fill=0)
    draw.line([(1500, 1300), (2200, 1300)], fill=0, width=3)  # a signature's underline
    assert find_tables(np.asarray(page)) == []


def test_each_word_goes_to_the_cell_its_centre_falls_in_and_rows_are_joined_by_bars():
    grey = np.asarray(_page())
    (table,) = find_tables(grey)
    words = [(Word((1, r, 1), COLUMNS[c] + 30, TOP + r * ROW + 50, 40, 40, text), 90.0)
             for r, row in enumerate(ROWS) for c, text in enumerate(row)]
    assert sheet(grey, table).rows(table, [], words) == [" | ".join(row) for row in ROWS]


def test_of_two_readings_of_a_cell_the_surer_is_kept():
    grey = np.asarray(_page())
    (table,) = find_tables(grey)
    cut = sheet(grey, table)
    top = next(span[0] for span in cut.spans if span[2] == (1, 2))
    on_sheet = [(Word((1, 1, 1), 60, top + 20, 80, 40, "65%"), 95.0)]
    on_page = [(Word((1, 1, 1), COLUMNS[2] + 30, TOP + ROW + 50, 80, 40, "Vé”"), 40.0)]
    assert cut.rows(table, on_sheet, on_page)[0].split(" | ")[2] == "65%"


@pytest.mark.skipif(not tesseract_available("vie"), reason="Tesseract with Vietnamese data is not installed "
                    "(apt-get install tesseract-ocr tesseract-ocr-vie); CI installs it")
def test_a_scanned_table_of_targets_is_read_row_by_row(tmp_path):
    path = tmp_path / "bang-chi-tieu.png"
    _page(skew=0.3, noise=True).save(path)
    body = read_document(path, plan_id="thu-nghiem").text
    assert "Tỷ lệ hồ sơ xử lý trực tuyến — Năm 2027: 65%; Năm 2028: 85%" in body
    assert "Số hợp tác xã bán hàng trực tuyến — Năm 2027: 12 hợp tác xã; Năm 2028: 20 hợp tác xã" in body
    assert body.index("Lộ trình") < body.index("Tỷ lệ hồ sơ") < body.index("Thời gian thực hiện")
