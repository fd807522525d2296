"""The kinds of registry change (变更类型) a village or township records, as the change sheet and the forms name
them, and the flags a 标识变更 may turn on or off."""

from __future__ import annotations

from enum import StrEnum

from models.core.actors import Role


class ChangeKind(StrEnum):
    BIRTH = "BIRTH"  # 出生: a member added
    DEATH = "DEATH"  # 死亡: a member leaves
    MARRY_IN = "MARRY_IN"  # 婚入
    MARRY_OUT = "MARRY_OUT"  # 婚出
    MOVE_IN = "MOVE_IN"  # 迁入
    MOVE_OUT = "MOVE_OUT"  # 迁出
    SPLIT = "SPLIT"  # 分户: members split into a new household with its own 户编号
    MERGE = "MERGE"  # 合户: a household merged into another
    FLAG = "FLAG"  # 标识变更: 低保, 特困, 残疾, 重病 on or off
    PHONE = "PHONE"  # 电话变更


KIND_NAMES = {
    ChangeKind.BIRTH: "出生", ChangeKind.DEATH: "死亡", ChangeKind.MARRY_IN: "婚入", ChangeKind.MARRY_OUT: "婚出",
    ChangeKind.MOVE_IN: "迁入", ChangeKind.MOVE_OUT: "迁出", ChangeKind.SPLIT: "分户", ChangeKind.MERGE: "合户",
    ChangeKind.FLAG: "标识变更", ChangeKind.PHONE: "电话变更",
}
BY_NAME = {name: kind for kind, name in KIND_NAMES.items()}
JOINS = (ChangeKind.BIRTH, ChangeKind.MARRY_IN, ChangeKind.MOVE_IN)  # a person added to the household
LEAVES = (ChangeKind.DEATH, ChangeKind.MARRY_OUT, ChangeKind.MOVE_OUT)  # a member leaves it, kept as left
HEAD = "户主"

# 标识 as the sheet writes it -> the Household column it sets
FLAGS = {"低保": "minimum_allowance", "特困": "destitute", "残疾": "disabled_member", "重病": "ill_member"}
FLAG_NAMES = {"minimum_allowance": "低保户", "destitute": "特困供养", "disabled_member": "家庭成员有残疾人",
              "ill_member": "家庭成员有长年患重病的"}

# Who keeps the registry of their area: the village committee, the township, and the county office above them.
RECORDERS = (Role.VILLAGE_COMMITTEE, Role.TOWNSHIP_CHECK_TEAM, Role.TOWNSHIP_GOVERNMENT, Role.COUNTY_GOVERNMENT)
ACTION = "REGISTRY.CHANGE"  # the audit action of every change
