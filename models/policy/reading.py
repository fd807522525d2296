"""A policy file read key by key: a key missing, of the wrong type or out of range is refused as PolicyInvalid, with
the file, the key as the file spells it (village_exit.indicators[2].points) and the rule it breaks.

The checks are plain code, never `assert`, so they hold under `python -O` too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from models.core.errors import PolicyInvalid
from models.policy.thresholds import COMPARISON_WORDS, Comparison, Sampling, Threshold

TABLE = "须为一个表（[名称] 或 { ... }）"
TABLES = "须为表的数组（[[名称]]）"
COMPARISONS = "比较方式须为" + "、".join(f"{c.value}（{COMPARISON_WORDS[c]}）" for c in Comparison) + "之一"


def _shown(value: object) -> object:
    """A value as the file spells it, for the refusal: true, not True."""
    return str(value).lower() if isinstance(value, bool) else value


class Table:
    """One table of a policy file: the whole file, [village_exit], an entry of [[village_exit.indicators]]."""

    def __init__(self, raw: Mapping[str, object], file: str, key: str = "") -> None:
        self.raw, self.file, self.key = raw, file, key

    def name(self, key: str) -> str:
        """The full key of one of this table's keys: village_exit.score_total."""
        return f"{self.key}.{key}" if self.key else key

    def refuse(self, key: str, value: object, rule: str) -> PolicyInvalid:
        """The error for this table's `key` (`value` None: the file does not set it)."""
        return PolicyInvalid(self.file, self.name(key), _shown(value), rule)

    def __contains__(self, key: str) -> bool:
        return key in self.raw

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def _get(self, key: str, rule: str) -> object:
        if key not in self.raw:
            raise self.refuse(key, None, rule)
        return self.raw[key]

    def table(self, key: str, *, may_be_absent: bool = False) -> Table:
        """The sub-table; where the file leaves it out, refused, or empty if it `may_be_absent`."""
        value = {} if may_be_absent and key not in self.raw else self._get(key, TABLE)
        if not isinstance(value, dict):
            raise self.refuse(key, value, TABLE)
        return Table(value, self.file, self.name(key))

    def optional_table(self, key: str) -> Table | None:
        """The sub-table, or None where the file leaves it out."""
        return self.table(key) if key in self.raw else None

    def tables(self, key: str) -> list[Table]:
        """An array of tables, each named by its place counted from 1: village_exit.indicators[1]."""
        value = self._get(key, TABLES)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.refuse(key, value, TABLES)
        return [Table(item, self.file, f"{self.name(key)}[{n}]") for n, item in enumerate(value, 1)]

    def integer(self, key: str, *, minimum: int | None = None, default: int | None = None) -> int:
        """A whole number (not true/false), at least `minimum`; `default` where the file leaves it out."""
        rule = "须为整数" + (f"，且不小于{minimum}" if minimum is not None else "")
        if default is not None and key not in self.raw:
            return default
        value = self._get(key, rule)
        if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
            raise self.refuse(key, value, rule)
        return value

    def integers(self, *, minimum: int) -> dict[str, int]:
        """Every key of this table with its whole number, each at least `minimum` ([deadlines])."""
        return {key: self.integer(key, minimum=minimum) for key in self.raw}

    def number(self, key: str, *, rule: str = "须为数字（不加引号）", low: Decimal | None = None,
               high: Decimal | None = None, above_low: bool = False) -> Decimal:
        """A number in [low, high] (above_low: strictly above low); `rule` says the range in words."""
        value = self._get(key, rule)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.refuse(key, value, rule)
        number = Decimal(str(value))
        if not number.is_finite() or (low is not None and (number <= low if above_low else number < low)) or (
                high is not None and number > high):
            raise self.refuse(key, value, rule)
        return number

    def text(self, key: str, *, default: str | None = None) -> str:
        """A non-empty string; `default` where the file leaves it out."""
        if default is not None and key not in self.raw:
            return default
        value = self._get(key, "须为非空文字（加引号）")
        if not isinstance(value, str) or not value.strip():
            raise self.refuse(key, value, "须为非空文字（加引号）")
        return value

    def texts(self, key: str, *, default: tuple[str, ...]) -> tuple[str, ...]:
        """A list of strings; `default` where the file leaves it out."""
        value = self.raw.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.refuse(key, value, "须为文字列表，例如 [\"甲\", \"乙\"]")
        return tuple(value)

    def flag(self, key: str, *, default: bool | None = None) -> bool:
        """true or false; `default` where the file leaves it out."""
        if default is not None and key not in self.raw:
            return default
        value = self._get(key, "须为 true 或 false")
        if not isinstance(value, bool):
            raise self.refuse(key, value, "须为 true 或 false")
        return value

    def threshold(self, key: str, *, high: Decimal | None = None, unit: str = "") -> Threshold:
        """A threshold table { value = ..., comparison = "gt" | "ge" | "lt" | "le" }, its value not below 0 (nor
        above `high`: 100 for a percentage)."""
        table = self.table(key)
        words = f"0到{high.normalize():f}{unit}之间的数字" if high is not None else "不小于0的数字"
        value = table.number("value", rule=f"须为{words}（不加引号）", low=Decimal(0), high=high)
        word = table._get("comparison", COMPARISONS)
        if not isinstance(word, str) or word not in {c.value for c in Comparison}:
            raise table.refuse("comparison", word, COMPARISONS)
        return Threshold(value, Comparison(word))

    def sampling(self, key: str, *, share_above_zero: bool = False) -> Sampling:
        """A sample rule { rate, full_coverage_below, minimum = 0 }: a share of 0 to 1 (share_above_zero: above 0),
        whole numbers not below 0."""
        table = self.table(key)
        rule = "抽样比例须大于0且不超过1" if share_above_zero else "抽样比例须在0到1之间（含0和1）"
        rate = table.number("rate", rule=rule, low=Decimal(0), high=Decimal(1), above_low=share_above_zero)
        return Sampling(rate, table.integer("full_coverage_below", minimum=0),
                        table.integer("minimum", minimum=0, default=0))
