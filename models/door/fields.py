"""A stage-input form's fields and the reading of what a person typed (or uploaded) into each, checked against
the field's kind, range and choices, every problem of a form named at once (models/door/forms.py declares the
forms)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from models.core.errors import InvalidInput


class Kind(StrEnum):
    INTEGER = "INTEGER"  # a whole number (minimum/maximum apply)
    AMOUNT = "AMOUNT"  # yuan, Decimal with at most 2 decimals, not negative unless minimum says so
    DECIMAL = "DECIMAL"  # a number with decimals (a score, a percentage)
    TEXT = "TEXT"  # one line
    LONG_TEXT = "LONG_TEXT"  # several lines (a textarea)
    YES_NO = "YES_NO"  # 是 / 否 -> True / False (the web shows two radios, nothing pre-ticked)
    YES_NO_NA = "YES_NO_NA"  # 是 / 否 / 不涉及 -> True / False / None
    CHOICE = "CHOICE"  # one of `choices` (value, label) -> the value
    CHOICES = "CHOICES"  # several of `choices` -> tuple of values
    DATE = "DATE"  # 2026-11-02 -> datetime.date
    FILE = "FILE"  # an uploaded file -> Upload(filename, content bytes); CLI: a path on disk
    HOUSEHOLDS = "HOUSEHOLDS"  # household numbers (户编号), comma/newline separated -> tuple[str, ...]


KIND_NAMES = {
    Kind.INTEGER: "整数",
    Kind.AMOUNT: "金额（元）",
    Kind.DECIMAL: "数值",
    Kind.TEXT: "文字",
    Kind.LONG_TEXT: "多行文字",
    Kind.YES_NO: "是/否",
    Kind.YES_NO_NA: "是/否/不涉及",
    Kind.CHOICE: "单选",
    Kind.CHOICES: "多选（逗号分隔）",
    Kind.DATE: "日期（如2026-11-02）",
    Kind.FILE: "文件",
    Kind.HOUSEHOLDS: "户编号（逗号或换行分隔）",
}


@dataclass(frozen=True)
class Field:
    name: str  # ascii key: the CLI's `--set name=value`, the form control's name
    label: str  # the Chinese label a clerk reads
    kind: Kind
    required: bool = True  # an empty optional field is absent from `values`
    choices: tuple[tuple[str, str], ...] = ()  # (value, Chinese label) for CHOICE / CHOICES
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    help: str = ""  # one line of Chinese under the field
    repeat: bool = False  # may be given several times -> a tuple of values


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


class FormInvalid(InvalidInput):
    """Every problem of one form at once; its record, field, value and rule are the first problem's."""

    def __init__(self, problems: Sequence[InvalidInput]) -> None:
        first = problems[0]
        self.record, self.field, self.value, self.rule = first.record, first.field, first.value, first.rule
        self.problems = tuple(problems)
        Exception.__init__(self, "；".join(str(p) for p in problems))


# What a clerk may write for yes, no and not applicable, on the CLI or in a form.
_YES = {"是", "yes", "y", "true", "1"}
_NO = {"否", "no", "n", "false", "0"}
_NA = {"不涉及", "na", "n/a", "none", "-"}
_SPLIT = re.compile(r"[,，、;；\s]+")


def _number(field: Field, text: str, kind: Kind) -> object:
    """A number of the field's kind within its range; a problem raises ValueError with the rule."""
    try:
        number = Decimal(text.replace("，", "").replace(",", ""))
    except InvalidOperation:
        raise ValueError("须为整数" if kind is Kind.INTEGER else "须为数字") from None
    if not number.is_finite():
        raise ValueError("须为数字")
    if kind is Kind.INTEGER and number != number.to_integral_value():
        raise ValueError("须为整数")
    if kind is Kind.AMOUNT and number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("金额最多保留两位小数")
    low = field.minimum if field.minimum is not None else (Decimal(0) if kind is Kind.AMOUNT else None)
    if low is not None and number < low:
        raise ValueError("不得为负数" if low == 0 else f"不得小于{low}")
    if field.maximum is not None and number > field.maximum:
        raise ValueError(f"不得大于{field.maximum}")
    return int(number) if kind is Kind.INTEGER else number


def _one(field: Field, text: str) -> object:
    """One raw text read as the field's kind; a problem raises ValueError with the rule in Chinese."""
    kind = field.kind
    if kind in (Kind.INTEGER, Kind.AMOUNT, Kind.DECIMAL):
        return _number(field, text, kind)
    if kind is Kind.TEXT:
        if "\n" in text:
            raise ValueError("须为一行文字")
        return text
    if kind is Kind.LONG_TEXT:
        return text
    if kind in (Kind.YES_NO, Kind.YES_NO_NA):
        word = text.lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        if kind is Kind.YES_NO_NA and word in _NA:
            return None
        raise ValueError("须填“是”或“否”" if kind is Kind.YES_NO else "须填“是”“否”或“不涉及”")
    if kind is Kind.CHOICE:
        return _choice(field, text)
    if kind is Kind.CHOICES:
        return tuple(dict.fromkeys(_choice(field, part) for part in _SPLIT.split(text) if part))
    if kind is Kind.DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("须为日期，如2026-11-02") from None
    if kind is Kind.HOUSEHOLDS:
        return tuple(dict.fromkeys(part for part in _SPLIT.split(text) if part))
    raise ValueError("须上传文件")  # Kind.FILE given as text


def _choice(field: Field, text: str) -> str:
    for value, label in field.choices:
        if text in (value, label) or text.upper() == value.upper():
            return value
    raise ValueError("须为以下之一：" + "、".join(f"{label}（{value}）" for value, label in field.choices))


def _given(items: Sequence[str | Upload]) -> list[str | Upload]:
    """The items a person actually gave: blank text and an empty file control are nothing."""
    kept: list[str | Upload] = []
    for item in items:
        if isinstance(item, Upload):
            if item.filename or item.content:
                kept.append(item)
        elif item.strip():
            kept.append(item.strip())
    return kept


def read_field(title: str, field: Field, items: Sequence[str | Upload]) -> tuple[bool, object]:
    """One field's typed value, and whether it was given; a problem raises InvalidInput naming it."""
    given = _given(items)

    def problem(value: object, rule: str) -> InvalidInput:
        return InvalidInput(title, field.label, value, rule)

    if not given:
        if field.required:
            raise problem("", "必须填写")
        return False, None
    if field.kind is Kind.CHOICES or field.kind is Kind.HOUSEHOLDS:
        # Several values in one field: given once with separators, or several times.
        given = ["，".join(str(g) for g in given)] if all(isinstance(g, str) for g in given) else given
    if len(given) > 1 and not field.repeat:
        raise problem("、".join(str(g) for g in given), "只能填写一个值")
    values: list[object] = []
    for item in given:
        if field.kind is Kind.FILE:
            if not isinstance(item, Upload):
                raise problem(item, "须上传文件")
            if not item.content:
                raise problem(item.filename, "文件不能为空")
            values.append(item)
            continue
        if isinstance(item, Upload):
            raise problem(item.filename, "此处须填写文字，不是文件")
        try:
            values.append(_one(field, item))
        except ValueError as error:
            raise problem(item, str(error)) from None
        if field.kind is Kind.HOUSEHOLDS and not values[-1]:
            raise problem(item, "须至少填写一个户编号")
    return True, tuple(values) if field.repeat else values[0]


def read_fields(title: str, fields: Sequence[Field], raw: Mapping[str, Sequence[str | Upload]]) -> dict[str, object]:
    """Check every field against raw text (and uploads) and return the typed values; the problems raise FormInvalid
    (an InvalidInput: record=title, field=label, value=raw text, rule in Chinese) naming all of them at once. A key
    no field has is a problem too."""
    values: dict[str, object] = {}
    problems: list[InvalidInput] = []
    known = {f.name for f in fields}
    for name in raw:
        if name not in known:
            names = "、".join(f"{f.name}（{f.label}）" for f in fields)
            problems.append(InvalidInput(title, name, "", f"没有此项；可填：{names}"))
    for field in fields:
        try:
            present, value = read_field(title, field, raw.get(field.name, ()))
        except InvalidInput as problem:
            problems.append(problem)
            continue
        if present:
            values[field.name] = value
    if problems:
        raise FormInvalid(problems)
    return values
