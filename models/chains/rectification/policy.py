"""Chain G's section of the policy file, [rectification]: the campaign's checklist file, the defaults of an item
that sets no due date or no responsible unit, and the stages' time limits in working days (seeds 000, 001)."""

from __future__ import annotations

from dataclasses import dataclass

from models.policy.reading import Table

STAGE_PREFIX = "RECT_"  # the codes of this chain's stages (stages.py), whose limits the section may set


@dataclass(frozen=True)
class Rectification:
    """大排查大整改 (seeds 000, 001; DOMAIN §4 G): the campaign's checklist file, and the defaults of an item that
    sets no due date or no responsible unit of its own."""

    checklist: str  # file name beside this year's policy file, e.g. rectification-2026.toml
    default_due_workdays: int  # working days from the finding, where the checklist gives no date
    default_unit: str  # where the checklist names no responsible unit
    stage_workdays: dict[str, int]  # RECT_* stage time limits in working days (merged into deadline_workdays)


def _stage_workdays(raw: Table) -> dict[str, int]:
    """The section's [rectification.deadline_workdays]: whole working days, at least 1, for RECT_ stages only."""
    stages = raw.optional_table("deadline_workdays")
    if stages is None:
        return {}
    for code in stages:
        if not code.startswith(STAGE_PREFIX):
            raise stages.refuse(code, stages.raw[code], f"只能为{STAGE_PREFIX}开头的整改环节设定时限")
    return stages.integers(minimum=1)


def rectification_section(raw: Table | None) -> Rectification | None:
    """The [rectification] section; its time limits are whole working days, at least 1."""
    if raw is None:
        return None
    return Rectification(raw.text("checklist"), raw.integer("default_due_workdays", minimum=1),
                         raw.text("default_unit"), _stage_workdays(raw))


def rectification_workdays(raw: Table | None, elsewhere: set[str]) -> dict[str, int]:
    """The rectification stages' working-day limits, for the policy's deadline_workdays; a stage whose limit is set
    `elsewhere` too ([deadlines], [deadline_workdays]) is refused."""
    if raw is None:
        return {}
    stages = _stage_workdays(raw)
    for code in sorted(set(stages) & elsewhere):
        raise raw.refuse(f"deadline_workdays.{code}", stages[code],
                         "该环节的时限已在[deadlines]或[deadline_workdays]中设定")
    return stages
