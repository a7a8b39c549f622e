"""The e-licence prints Chinese with the project's own font on a machine without system fonts,
and its QR code reads back the configured public address."""

import ctypes
import os
import subprocess
import sys

import pypdfium2
import zxingcpp
from django.conf import settings
from fontTools.ttLib import TTFont

from yiwang.licences.documents import FONT_FILES

NO_SYSTEM_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
PUBLIC_URL = "http://127.0.0.1:8123"
NUMBER = "111000000000062026000001"


def render_without_system_fonts(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(NO_SYSTEM_FONTS.format(cache=tmp_path / "fc-cache"))
    out = tmp_path / "licence.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "yiwang.licences.tests.render_probe", str(out)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "FONTCONFIG_FILE": str(config), "YIWANG_PUBLIC_URL": PUBLIC_URL},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out, result.stderr


def font_of(textpage, index: int) -> str:
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pypdfium2.raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(flags))
    return buffer.value.decode("latin-1")


def test_every_character_is_printed_with_the_project_font_and_the_qr_reads_back(tmp_path):
    pdf_path, warnings = render_without_system_fonts(tmp_path)
    assert ".notdef" not in warnings and "glyph" not in warnings.lower()
    document = pypdfium2.PdfDocument(str(pdf_path))
    page = document[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    for expected in ("公共场所卫生许可证", "持证主体", "大连滨海健康管理有限公司", "游泳场（馆）"):
        assert expected in text.replace("\r\n", "").replace(" ", "")
    printed = [i for i in range(textpage.count_chars()) if not text_at(textpage, i).isspace()]
    # Only the project's font (the @font-face family of documents.py) prints anything.
    assert {font_of(textpage, i).split("+")[-1] for i in printed} <= {
        "Yiwang-Serif",
        "Yiwang-Serif-Bold",
    }
    font = TTFont(os.path.join(settings.PDF_FONT_DIR, FONT_FILES[400]), lazy=True)
    covered = font.getBestCmap()
    missing = {c for c in text if not c.isspace() and ord(c) not in covered}
    assert missing == set()
    image = page.render(scale=4).to_pil()
    codes = zxingcpp.read_barcodes(image)
    textpage.close()
    page.close()
    document.close()
    assert [code.text for code in codes] == [f"{PUBLIC_URL}/verify/{NUMBER}/"]


def text_at(textpage, index: int) -> str:
    return chr(pypdfium2.raw.FPDFText_GetUnicode(textpage.raw, index))
