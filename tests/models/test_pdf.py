"""Print copies: an A4 PDF beside each HTML document, with embedded Chinese fonts and the same text."""

from __future__ import annotations

import subprocess
from pathlib import Path

from models.documents.pdf import write_pdf

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm } body { margin: 0; font-family: "Noto Serif CJK SC", serif }
</style></head><body><h1>欧阳海村2026年度拟退出贫困户公示</h1><p>公示期：2026年10月26日至11月1日</p></body></html>"""


def tool(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


def test_a_pdf_is_written_beside_the_html_on_a4_with_its_chinese_text(tmp_path: Path):
    html = tmp_path / "village_notice-1.html"
    html.write_text(PAGE, encoding="utf-8")
    pdf, digest = write_pdf(html)
    assert pdf == tmp_path / "village_notice-1.pdf" and len(digest) == 64
    assert "595.276 x 841.89 pts (A4)" in tool("pdfinfo", str(pdf))
    text = tool("pdftotext", "-layout", str(pdf), "-")
    assert "欧阳海村2026年度拟退出贫困户公示" in text and "公示期：2026年10月26日至11月1日" in text
    fonts = tool("pdffonts", str(pdf))
    assert "Noto-Serif-CJK-SC" in fonts and " yes yes yes " in fonts  # embedded, subset, unicode


def test_rendering_again_replaces_the_file_in_one_step(tmp_path: Path):
    html = tmp_path / "a.html"
    html.write_text(PAGE, encoding="utf-8")
    write_pdf(html)
    pdf, _ = write_pdf(html)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.pdf"]  # no temporary file left
    assert "欧阳海村" in tool("pdftotext", str(pdf), "-")
