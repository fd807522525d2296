"""E. Relative-poor households, 两次识别 (seed 004; DOMAIN §4 E): the table of its 9 stages and its guards.

The seed's seven steps: the household applies; the village reviews it and publishes the result; the township checks;
the county poverty office and statistics bureau check; the city draws a random sample and checks it
(city_check.py); the village work team and committee verify in the village (the second identification);
the village publishes the list. Then the household's record card is filled in (record.py). The
standard (standards.py) is applied at the village review and at every check after it.
"""

from __future__ import annotations

from models.chains.relative_identify.city_check import city_check_passed
from models.chains.relative_identify.record import record_complete
from models.chains.relative_identify.standards import relative_standard_met
from models.core.actors import Role
from models.core.regions import Level
from models.door.chain import Chain, Guard, Input, Sampler, Stage, Takes, register

CODE = "RELATIVE_IDENTIFY"
STANDARD = Guard("relative_standard_met", relative_standard_met)

RELATIVE_IDENTIFY = register(
    Chain(
        code=CODE,
        letter="E",
        name="相对贫困户识别",
        finished="已建档立卡",
        summary="农户申请、村评议、村内公示、镇核查、县扶贫办和统计局核查、市级随机抽样核查、驻村工作组与村委会"
                "进村核实、村内公示、建档立卡",
        stages=(
            Stage("REL_APPLICATION", "农户申请", Level.VILLAGE, Role.VILLAGE_COMMITTEE, documents=("application",)),
            Stage("REL_VILLAGE_REVIEW", "村评议", Level.VILLAGE, Role.VILLAGE_COMMITTEE,
                  sends_back_to="REL_APPLICATION", guards=(STANDARD,)),
            Stage("REL_VILLAGE_PUBLICITY", "村评议结果公示", Level.TOWNSHIP, None, window_scope=Level.VILLAGE,
                  documents=("relative_notice",), sends_back_to="REL_VILLAGE_REVIEW"),
            Stage("REL_TOWNSHIP_CHECK", "镇核查", Level.TOWNSHIP, Role.TOWNSHIP_CHECK_TEAM,
                  inputs=(Takes(Input.HOME_VISIT),), documents=("registration_form",),
                  sends_back_to="REL_VILLAGE_REVIEW", guards=(STANDARD,)),
            Stage("REL_COUNTY_CHECK", "县扶贫办和统计局核查", Level.COUNTY, Role.COUNTY_RECHECK_TEAM,
                  sends_back_to="REL_TOWNSHIP_CHECK", guards=(STANDARD,)),
            Stage("REL_CITY_CHECK", "市级随机抽样核查", Level.CITY, Role.CITY_CHECK_TEAM,
                  sampling=Sampler.TEAM, inputs=(Takes(Input.SAMPLE), Takes(Input.INCOME_RECHECK)),
                  documents=("relative_city_check_form",), sends_back_to="REL_TOWNSHIP_CHECK",
                  guards=(Guard("city_check_passed", city_check_passed),)),
            Stage("REL_TEAM_VERIFY", "驻村工作组与村委会进村核实", Level.VILLAGE, Role.VILLAGE_COMMITTEE,
                  sends_back_to="REL_TOWNSHIP_CHECK", guards=(STANDARD,)),
            Stage("REL_FINAL_PUBLICITY", "村内公示", Level.TOWNSHIP, None, window_scope=Level.VILLAGE,
                  documents=("relative_notice",), sends_back_to="REL_TEAM_VERIFY"),
            Stage("REL_RECORD", "建档立卡", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  inputs=(Takes(Input.RECORD_CARD),), documents=("relative_record_card",),
                  guards=(Guard("record_complete", record_complete),)),
        ),
    )
)
