"""One cell read by its column's rule: a value, or the reason (in Chinese) why it cannot be taken."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from models.importing.reading import Cell, text


class BadCell(ValueError):
    """The reason a cell cannot be taken."""


FIRST_YEAR = 2013  # incomes of 2013 were the first the 建档立卡 registration recorded
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
YES = {"是": True, "否": False, "Y": True, "N": False}
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[Ee]\+?\d+$")
PHONE = re.compile(r"^\+?[\d\- ()（）]{7,20}$")


@lru_cache(maxsize=65536)
def _area_known(area: str, year: int) -> bool:
    """Whether stdnum's table holds the birth-place code for that year (a county's IDs share a few codes)."""
    try:
        ric.get_birth_place(f"{area}{year:04d}01010000")
    except ValidationError:
        return False
    return True


def resident_id(value: Cell, today: date) -> str:
    """A GB 11643 resident ID, upper-cased: the checks of stdnum's `ric.validate`, with its birth-place lookup
    cached (uncached it is most of the time of a 30,000-row file)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise BadCell("身份证号被Excel存成了数字，末尾几位已丢失：请把该列设为“文本”格式后重新录入")
    number = text(value).replace(" ", "").upper()
    if SCIENTIFIC.match(number):
        raise BadCell("身份证号被Excel转成了科学计数法，末尾几位已丢失：请把该列设为“文本”格式后重新录入")
    if len(number) != 18:
        raise BadCell(f"身份证号应为18位（现为{len(number)}位）")
    if not number[:17].isdigit() or not number[:17].isascii() or number[17] not in "0123456789X":
        raise BadCell("身份证号前17位应为数字，第18位为数字或X")
    if number[17] != ric.calc_check_digit(number):
        raise BadCell("身份证号校验位不正确（GB 11643），请核对是否录错")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise BadCell("身份证号中的出生日期不存在") from exc
    if not _area_known(number[:6], born.year):
        raise BadCell("身份证号前6位不是有效的行政区划代码")
    if born > today:
        raise BadCell("身份证号中的出生日期晚于今天")
    return number


def household_number(value: Cell) -> str:
    """A 户编号; one of 16 or more digits stored as a number has lost its end (Excel keeps 15 significant digits)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise BadCell("户编号被Excel存成了数字，第15位以后已丢失：请把该列设为“文本”格式后重新录入")
    return text(value)


def sex_of(number: str) -> str:
    """男 or 女 by the 17th digit of a resident ID (odd for men)."""
    return "男" if int(number[16]) % 2 else "女"


def sex(value: Cell, number: str | None) -> str:
    raw = text(value)
    if raw not in ("男", "女"):
        raise BadCell("性别应填“男”或“女”")
    if number is not None and raw != sex_of(number):
        raise BadCell(f"与身份证号不符（第17位{'奇数为男' if sex_of(number) == '男' else '偶数为女'}）")
    return raw


def yes_no(value: Cell) -> bool:
    raw = text(value).upper()
    if raw not in YES:
        raise BadCell("应填“是”或“否”")
    return YES[raw]


def phone(value: Cell) -> str:
    raw = text(value)
    if not PHONE.match(raw) or sum(ch.isdigit() for ch in raw) < 7:
        raise BadCell("联系电话应为手机号或固定电话号码（7至20位数字，可含“-”）")
    return raw


def amount(value: Cell) -> Decimal:
    """Yuan, at most two decimals, not negative (0 is a valid amount)."""
    if isinstance(value, float):
        # A float from Excel (3326.1 is 3326.0999…): taken to the cent when it is within rounding noise of it.
        number = Decimal(str(round(value, 2))) if abs(value - round(value, 2)) < 1e-6 else Decimal(str(value))
    else:
        raw = text(value).replace(",", "").replace("，", "").removesuffix("元")
        try:
            number = Decimal(raw)
        except InvalidOperation as exc:
            raise BadCell("金额应为数字（单位：元）") from exc
    if not number.is_finite():
        raise BadCell("金额应为数字（单位：元）")
    if number < 0:
        raise BadCell("金额不能为负数")
    if number > MAX_AMOUNT:
        raise BadCell("金额过大，请核对单位是否为元")
    cents = number.quantize(Decimal("0.01"))
    if number != cents:
        raise BadCell("金额最多保留两位小数（到分）")
    return abs(cents)  # -0 read as 0


def count(value: Cell) -> int:
    raw = text(value)
    if not raw.isdigit() or int(raw) < 1:
        raise BadCell("应为正整数")
    return int(raw)


def year(value: Cell, today: date) -> int:
    raw = text(value).removesuffix("年度").removesuffix("年")
    if not raw.isdigit() or len(raw) != 4:
        raise BadCell("年度应为4位数字，如2026")
    found = int(raw)
    if not FIRST_YEAR <= found <= today.year:
        raise BadCell(f"年度应在{FIRST_YEAR}年至{today.year}年之间")
    return found
