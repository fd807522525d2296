"""C. Edge household identification 贫困边缘户识别 (seed 002; DOMAIN §4 C), 农户申请、民主评议、入户核实、两公示一公告:
the table of its 9 stages and its guard.

The household applies (its case opens at the application stage); the standard (standards.py) is
applied at the democratic review, again at the home visit (recorded on the registration form 入户核实登记表, one per
village and day) and once more at the county review, which checks every household (全覆盖核查). Each of the three
windows runs the policy's days (seed 002: 公示、公告期均为7天): two village publicity notices and, after the county
review, the announcement posted in each village.
"""

from __future__ import annotations

from models.chains.edge_identify.standards import edge_standard_met
from models.core.actors import Role
from models.core.regions import Level
from models.door.chain import Chain, Guard, Input, Stage, Takes, register

CODE = "EDGE_IDENTIFY"
STANDARD = Guard("edge_standard_met", edge_standard_met)

EDGE_IDENTIFY = register(
    Chain(
        code=CODE,
        letter="C",
        name="贫困边缘户识别",
        finished="已认定",
        summary="农户申请、村民代表大会民主评议、入户核实、村内第一次公示、乡镇审核、村内第二次公示、县级复审、"
                "各村公告、建档立卡",
        stages=(
            Stage("EDGE_APPLICATION", "农户申请", Level.VILLAGE, Role.VILLAGE_COMMITTEE, documents=("application",)),
            Stage("EDGE_REVIEW", "村民代表大会民主评议", Level.VILLAGE, Role.VILLAGE_COMMITTEE,
                  documents=("edge_review_minutes",), sends_back_to="EDGE_APPLICATION", guards=(STANDARD,)),
            Stage("EDGE_HOME_VISIT", "入户核实", Level.TOWNSHIP, Role.TOWNSHIP_CHECK_TEAM,
                  inputs=(Takes(Input.HOME_VISIT),), documents=("registration_form",), sends_back_to="EDGE_REVIEW",
                  guards=(STANDARD,)),
            Stage("EDGE_FIRST_PUBLICITY", "村内第一次公示", Level.TOWNSHIP, None, window_scope=Level.VILLAGE,
                  documents=("edge_notice",), sends_back_to="EDGE_HOME_VISIT"),
            Stage("EDGE_TOWNSHIP_REVIEW", "乡镇审核", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  sends_back_to="EDGE_HOME_VISIT"),
            Stage("EDGE_SECOND_PUBLICITY", "村内第二次公示", Level.TOWNSHIP, None, window_scope=Level.VILLAGE,
                  documents=("edge_notice",), sends_back_to="EDGE_HOME_VISIT"),
            Stage("EDGE_COUNTY_REVIEW", "县级复审", Level.COUNTY, Role.COUNTY_RECHECK_TEAM,
                  sends_back_to="EDGE_HOME_VISIT", guards=(STANDARD,)),
            Stage("EDGE_ANNOUNCEMENT", "复审后各村公告", Level.COUNTY, None, window_scope=Level.VILLAGE,
                  documents=("edge_announcement",), sends_back_to="EDGE_COUNTY_REVIEW"),
            Stage("EDGE_RECORD", "建档立卡", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT),
        ),
    )
)
