"""The moves a case can make at a stage, their names in a cadre's words, and the outcome each records."""

from __future__ import annotations

from enum import StrEnum

from models.core.case import Outcome


class Move(StrEnum):
    APPROVE = "APPROVE"  # the stage's role decides yes
    RETURN = "RETURN"  # back to the stage the table names, with a reason
    REJECT = "REJECT"  # out of the chain, with a reason
    ADVANCE = "ADVANCE"  # the machine moves a case whose window has closed


MOVE_NAMES = {Move.APPROVE: "通过", Move.RETURN: "退回", Move.REJECT: "不予通过", Move.ADVANCE: "公示期满流转"}
MOVE_OUTCOME = {Move.APPROVE: Outcome.APPROVED, Move.ADVANCE: Outcome.APPROVED,
                Move.RETURN: Outcome.RETURNED, Move.REJECT: Outcome.REJECTED}
