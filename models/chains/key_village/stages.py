"""D. Key-village identification 重点帮扶村确认 (seed 004; DOMAIN §4 D), the five-level chain: the table of its
7 stages and its guard.

The village committee applies; the township verifies the village's figures and ranks the villages by degree of
relative poverty (figures.py); the county's survey team (扶贫办 with the statistics bureau) checks the
figures again and the county government confirms the ranked summary table (申报汇总表); the city spot-checks a sample
of each county's villages; the provincial poverty office with the provincial statistics bureau checks a sample in the
field (seed 004: 实地抽查核实); the provincial leading group deliberates and the list is publicised province-wide. Both
checks draw their sample per county from a stored seed and record the figures found in each drawn village
(spot_checks.py); their forms are written once every drawn village is decided.
"""

from __future__ import annotations

from models.chains.key_village.figures import figures_ready
from models.chains.key_village.spot_checks import spot_check_passed
from models.core.actors import Role
from models.core.regions import Level
from models.door.chain import Chain, Guard, Input, Sampler, Stage, Subject, Takes, register

CODE = "KEY_VILLAGE"
FIGURES = Guard("figures_ready", figures_ready)
SPOT_CHECK = Guard("spot_check_passed", spot_check_passed)
FIGURES_IN = Takes(Input.VILLAGE_FIGURES)

KEY_VILLAGE = register(
    Chain(
        code=CODE,
        letter="D",
        subject=Subject.VILLAGE,
        name="重点帮扶村确认",
        finished="已确认",
        summary="村委会申请、镇级核实并按相对贫困程度排序、县扶贫办会同统计局审核、县政府确认申报汇总表、"
                "地市抽查、省扶贫办会同省统计局实地复核、省扶贫开发领导小组审议并公示",
        stages=(
            Stage("KEY_APPLICATION", "村委会申请", Level.VILLAGE, Role.VILLAGE_COMMITTEE, documents=("application",)),
            Stage("KEY_TOWNSHIP_VERIFY", "镇级核实并排序", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  inputs=(FIGURES_IN,),
                  documents=("key_village_township_list",), sends_back_to="KEY_APPLICATION", guards=(FIGURES,)),
            Stage("KEY_COUNTY_CHECK", "县扶贫办会同统计局审核", Level.COUNTY, Role.COUNTY_RECHECK_TEAM,
                  inputs=(FIGURES_IN,),
                  sends_back_to="KEY_TOWNSHIP_VERIFY", guards=(FIGURES,)),
            Stage("KEY_COUNTY_CONFIRM", "县政府确认并报申报汇总表", Level.COUNTY, Role.COUNTY_GOVERNMENT,
                  documents=("key_village_county_summary",), sends_back_to="KEY_COUNTY_CHECK"),
            Stage("KEY_CITY_CHECK", "地市抽查核实", Level.CITY, Role.CITY_CHECK_TEAM,
                  sampling=Sampler.TEAM, inputs=(Takes(Input.SAMPLE), FIGURES_IN),
                  documents=("key_village_city_check_form",), sends_back_to="KEY_COUNTY_CHECK", guards=(SPOT_CHECK,)),
            Stage("KEY_PROVINCE_CHECK", "省扶贫办会同省统计局实地复核", Level.PROVINCE, Role.PROVINCE_POVERTY_OFFICE,
                  sampling=Sampler.TEAM, inputs=(Takes(Input.SAMPLE), FIGURES_IN),
                  documents=("key_village_province_check_form",),
                  sends_back_to="KEY_COUNTY_CHECK", guards=(SPOT_CHECK,)),
            Stage("KEY_PUBLICITY", "省扶贫开发领导小组审议并公示", Level.PROVINCE, Role.PROVINCE_POVERTY_OFFICE,
                  window_scope=Level.PROVINCE, documents=("key_village_notice",), sends_back_to="KEY_PROVINCE_CHECK"),
        ),
    )
)
