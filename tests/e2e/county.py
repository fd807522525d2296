"""The example county as an office sets it up from docs/examples, shared by every chain's end-to-end test: its
regions, its first administrator and staff, passwords for the clerks who use the dashboard, and the villages'
roster. Logins are those of docs/examples/staff.csv."""

from __future__ import annotations

from tests.e2e.harness import EXAMPLES, Office

YEAR = "2026"
TOWNSHIP = "430121101000"  # 示范镇
BAISHU, FENGLIN = "430121101203", "430121101204"  # 柏树村, 枫林村: the villages of docs/examples/roster.csv
ADMIN, ADMIN_PASSWORD = "xiaoyong", "Changsha#2026"
CLERK_PASSWORD = "Shifan#2026"
# Who decides each stage, as docs/examples/staff.csv registers them: village roles by village, then the township's
# check team (two members) and government, the county's re-check team and government.
GROUP_LEADER = {BAISHU: "guoxiulan", FENGLIN: "liangmeiling"}
COMMITTEE = {BAISHU: "hezhenyu", FENGLIN: "luohaibo"}
CHECK_TEAM = {BAISHU: "zhoujianjun", FENGLIN: "wuhaiyan"}
TOWNSHIP_GOVERNMENT, RECHECK_TEAM, COUNTY_GOVERNMENT = "huanglijuan", "zhangchunmei", "wangwei"


def set_up_county(office: Office, *dashboard: str) -> None:
    """Regions, staff and roster from docs/examples; the logins given (and the township government and a group
    leader) get the clerks' password for the dashboard."""
    office.ok("init", says=["数据库已就绪"])
    office.ok("regions", "import", str(EXAMPLES / "regions.csv"), says=["导入完成", "村级13个"])
    # The first administrator is added without --as (the county has none yet), then imports everyone else.
    office.ok("staff", "add", "--name", "肖勇", "--login", ADMIN, "--role", "县级系统管理员",
              "--region", "430121000000", "--phone", "15149024836", says=["已登记：肖勇（县级系统管理员）"])
    office.ok("staff", "password", ADMIN, "--password", ADMIN_PASSWORD)
    office.refused(["staff", "add", "--name", "赵六", "--login", "zhaoliu", "--role", "村委会",
                    "--region", TOWNSHIP, "--as", ADMIN], "村委会", "村级")  # a role at the wrong level
    office.ok("staff", "import", str(EXAMPLES / "staff.csv"), "--as", ADMIN,
              says=["导入完成", "已登记且一致、未改动：1人"])
    for login in dict.fromkeys((TOWNSHIP_GOVERNMENT, GROUP_LEADER[BAISHU], *dashboard)):
        office.ok("staff", "password", login, "--password", CLERK_PASSWORD, "--as", ADMIN)
    office.ok("import", str(EXAMPLES / "roster.csv"), "--as", TOWNSHIP_GOVERNMENT, "--now", "2026-10-08 08:00",
              says=["导入完成：2个村12户32人，收入12条（2026年度）"])
