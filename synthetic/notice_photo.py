"""A stand-in photo of a notice posted on a village's board (公示影像资料), for the demo, tests and benchmark: a
JPEG of a red-headed sheet with the notice's title, the village and the posting day."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=2)  # the Simplified Chinese face of the collection
    return ImageFont.load_default()


def notice_photo(title: str, place: str, day: str) -> bytes:
    """The JPEG bytes of a photographed notice: `title` on a sheet pinned to a board, `place` and `day` below."""
    image = Image.new("RGB", (640, 480), (96, 118, 92))  # the board
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 40, 520, 440), fill=(250, 248, 240), outline=(60, 60, 60), width=2)  # the sheet
    draw.text((320, 100), title, fill=(180, 20, 20), font=_font(34), anchor="mm")
    draw.line((150, 135, 490, 135), fill=(180, 20, 20), width=3)
    for row in range(8):
        draw.line((160, 170 + row * 28, 480, 170 + row * 28), fill=(150, 150, 150), width=1)
    draw.text((470, 395), place, fill=(30, 30, 30), font=_font(18), anchor="rm")
    draw.text((470, 420), day, fill=(30, 30, 30), font=_font(18), anchor="rm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()
