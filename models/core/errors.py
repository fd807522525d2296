"""Domain errors; every message is Simplified Chinese for the cadre who reads it.

TuopinError
 ├── InvalidInput          bad data from a clerk or a file: names the record, field, value and rule
 │    └── PolicyInvalid    a policy data file that breaks a rule: names the file, the key and the rule
 ├── ImportRefused         a roster file with problems, every row, column and reason (models/importing/problems.py)
 ├── NotFound              a record that does not exist (or is outside the actor's area)
 ├── TransitionRefused     the one door refused a move; carries the reason per case
 ├── Conflict              someone else changed the case first (optimistic lock)
 └── PolicyMissing         no policy data for a province and year
"""

from __future__ import annotations


class TuopinError(Exception):
    """Base of every domain error."""


class InvalidInput(TuopinError):
    """Input that breaks a rule; nothing was written."""

    def __init__(self, record: str, field: str, value: object, rule: str) -> None:
        self.record, self.field, self.value, self.rule = record, field, value, rule
        super().__init__(f"{record}：字段“{field}”的值“{value}”不符合规则：{rule}")


class PolicyInvalid(InvalidInput):
    """A policy data file (policy/<province>/<year>.toml) with a key missing, of the wrong type or out of range;
    nothing of it was loaded. `value` is None for a key the file does not set (TOML has no null)."""

    def __init__(self, file: str, key: str, value: object, rule: str) -> None:
        self.record, self.field, self.value, self.rule = file, key, value, rule
        said = f"未设定“{key}”" if value is None else f"“{key}”的值“{value}”不符合规则"
        TuopinError.__init__(self, f"政策数据文件{file}：{said}：{rule}")


class NotFound(TuopinError):
    """The record does not exist, or the actor may not see it."""


class TransitionRefused(TuopinError):
    """A move refused by the door's rules or a stage's guards; `reasons` maps each refused case's id to a reason a
    cadre can read. A refusal about no case at all is another error (InvalidInput, NotFound)."""

    def __init__(self, reasons: dict[int, str]) -> None:
        if not reasons:
            raise ValueError("a refused move names the cases it refuses")
        self.reasons = reasons
        lines = [f"案件{case_id}：{reason}" for case_id, reason in sorted(reasons.items())]
        super().__init__("；".join(lines[:5]) + ("……" if len(lines) > 5 else ""))

    @property
    def reason(self) -> str:
        """The first reason (the only one for a single decision)."""
        return next(iter(self.reasons.values()))


class Conflict(TuopinError):
    """The case changed between reading and writing; nothing was written."""


class PolicyMissing(TuopinError):
    """No policy data file for the province and year asked."""
