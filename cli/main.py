"""The `tuopin` command: reads and single decisions go straight to models/; orchestrated work runs flows.

Prefect is imported only inside the commands that run flows, so `tuopin status` starts fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlmodel import Session, col

from cli.common import ActorOption, NowOption, console, database_errors_in_words, fail, local_prefect, moment
from cli.importing import export_roster_file, import_file
from cli.monitoring import monitoring_app
from cli.opening import open_command
from cli.record import inputs_command, record_command
from cli.regions import regions_app
from cli.registry import registry_app
from cli.staff import staff_app
from cli.web import users_add, web
from models.core.actors import actor_by_login
from models.core.audit import AuditEvent, first_broken
from models.core.case import Case
from models.core.clock import cn_date
from models.core.db import session_scope, upgrade
from models.core.errors import InvalidInput, NotFound, TuopinError
from models.core.regions import code_prefix, townships_under
from models.core.settings import get_settings
from models.door.chain import Chain, all_chains, chain_named
from models.door.contract import check_chains
from models.door.engine import MOVE_NAMES, Move, transition
from models.door.objections import raise_objection, resolve_objection
from models.policy.loading import policy_for
from models.reads.status import Filters, case_page, counts_by_stage

app = typer.Typer(help="tuopin（脱贫）: approval chains of targeted poverty alleviation.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail: every change, chained by hashes.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(monitoring_app, name="monitoring")
app.add_typer(regions_app, name="regions")
app.add_typer(registry_app, name="registry")
app.add_typer(staff_app, name="staff")


@app.callback()
def main(db: Annotated[str | None, typer.Option("--db", help="Database URL or SQLite file path.")] = None) -> None:
    """Choose the database (default: TUOPIN_DATABASE_URL, else tuopin.db in the project folder)."""
    database_errors_in_words()
    if db:
        os.environ["TUOPIN_DATABASE_URL"] = db if "://" in db else f"sqlite:///{os.path.abspath(db)}"
        get_settings.cache_clear()
    # The chain tables' contract, before any command; their documents' is checked before the machine's first paper
    # (models/door/machine.py), so a read imports no document builder.
    check_chains(documents=False)


@contextmanager
def acting() -> Iterator[Session]:
    """A session for one command's change: committed when it succeeds; a refusal is printed and exits 1
    with nothing written."""
    with session_scope() as session:
        try:
            yield session
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)


@app.command()
def init() -> None:
    """Create or upgrade the database schema."""
    upgrade()
    console.print(f"数据库已就绪：{get_settings().database_url}")


app.command(name="import")(import_file)
app.command(name="export-roster")(export_roster_file)
app.command(name="open")(open_command)
app.command(name="record")(record_command)
app.command(name="inputs")(inputs_command)
users_app = typer.Typer(help="Logins of the web dashboard.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.command()(web)
users_app.command("add")(users_add)


@app.command()
def chains() -> None:
    """The approval chains tuopin runs, with their stages."""
    from cli.views import chain_table

    console.print(chain_table(all_chains()))


@app.command()
def status(
    region: Annotated[str, typer.Option(help="Region code or its leading digits (e.g. a township's 9).")] = "",
    stage: Annotated[str | None, typer.Option(help="Stage code, e.g. PUBLICITY.")] = None,
    state: Annotated[str | None, typer.Option("--status", help="ACTIVE, EXITED or REJECTED.")] = None,
    chain: Annotated[str | None, typer.Option(help="One chain (see `tuopin chains`); default: every chain.")] = None,
    limit: Annotated[int, typer.Option(help="Cases listed.")] = 20,
    now: NowOption = None,
) -> None:
    """Where each case of every chain is: counts by chain and stage, then cases soonest due first."""
    from cli.views import case_table, count_table

    try:
        code = chain_named(chain).code if chain else None
    except NotFound as error:
        fail(error)
    filters = Filters(region=code_prefix(region), stage=stage, status=state, chain=code)
    when = moment(now)
    with session_scope() as session:
        console.print(count_table(counts_by_stage(session, filters)))
        console.print(case_table(case_page(session, filters, when, limit=limit), when))


@app.command()
def decide(
    case_ids: Annotated[list[int], typer.Argument(help="Case numbers.")],
    stage: Annotated[str, typer.Option(help="The stage being decided, e.g. HOME_CHECK.")],
    actor: ActorOption,
    move: Annotated[Move, typer.Option(help="APPROVE, RETURN or REJECT.")] = Move.APPROVE,
    reason: Annotated[str, typer.Option(help="Required to return or reject.")] = "",
    now: NowOption = None,
) -> None:
    """Record a decision on cases of one chain at a stage through the one door."""
    with acting() as session:
        chain_of = dict(session.execute(select(col(Case.id), col(Case.chain)).where(col(Case.id).in_(case_ids)))
                        .tuples().all())
        missing = [case_id for case_id in dict.fromkeys(case_ids) if case_id not in chain_of]
        if missing:
            raise NotFound(f"案件{'、'.join(map(str, missing))}不存在")
        chains = set(chain_of.values())
        if len(chains) > 1:
            names = "、".join(chain_named(c).name for c in sorted(chains))
            raise InvalidInput("决定", "案件", " ".join(map(str, case_ids)),
                               f"一次决定只能针对同一流程的案件，现涉及：{names}")
        result = transition(session=session, chain=chains.pop(), stage=stage,
                            case_ids=case_ids, move=move, actor=actor_by_login(session, actor), now=moment(now),
                            reason=reason)
    console.print(f"已{MOVE_NAMES[move]}：{len(result.moved)}件；"
                  f"此前已处理（未重复执行）：{len(result.unchanged)}件")


@app.command(name="object")
def object_(
    case_id: Annotated[int, typer.Argument(help="Case number.")],
    by: Annotated[str, typer.Option(help="Who objects.")],
    content: Annotated[str, typer.Option(help="What the objection says.")],
    actor: ActorOption,
    now: NowOption = None,
) -> None:
    """Record an objection raised during the case's publicity window."""
    with acting() as session:
        objection = raise_objection(session=session, case_id=case_id, raised_by=by, content=content,
                                    now=moment(now), actor=actor_by_login(session, actor))
    console.print(f"已登记异议{objection.id}（案件{case_id}），待核实处理")


@app.command()
def resolve(
    objection_id: Annotated[int, typer.Argument(help="Objection number.")],
    resolution: Annotated[str, typer.Option(help="What the verification found.")],
    actor: ActorOption,
    uphold: Annotated[bool, typer.Option("--uphold/--dismiss", help="Upheld: the case goes back.")] = False,
    now: NowOption = None,
) -> None:
    """Resolve an objection: dismissed (the case goes on) or upheld (the case goes back)."""
    with acting() as session:
        resolve_objection(session=session, objection_id=objection_id, upheld=uphold, resolution=resolution,
                          now=moment(now), actor=actor_by_login(session, actor))
    console.print(f"异议{objection_id}：{'成立，案件已退回' if uphold else '不成立，案件继续办理'}")


@app.command()
def run(
    region: Annotated[str, typer.Argument(help="Township or county code.")],
    year: Annotated[int, typer.Option(help="Year of the round.")],
    chain: Annotated[str, typer.Option(help="Which chain (see `tuopin chains`).")] = "household-exit",
    now: NowOption = None,
) -> None:
    """Run a chain's flow for a region: the machine's part of every stage."""
    when = moment(now)  # a bad date stops here, before Prefect starts
    with acting() as session:
        code = chain_named(chain).code
        if not townships_under(session, region):
            raise NotFound(f"区划代码“{region}”下没有已登记的乡镇，请给出乡镇或县级区划代码")
        policy_for(region, year)
    local_prefect()
    from flows.runtime import run_chain

    done = run_chain(code, region, year, when.isoformat())
    from cli.views import run_lines

    for line in run_lines(chain_named(code), done):
        console.print(line)


@app.command()
def sweep(now: NowOption = None) -> None:
    """Close due windows, release the cases they held, flag overdue stages."""
    when = moment(now)  # a bad date stops here, before Prefect starts
    local_prefect()
    from flows.runtime import run_sweep

    done = run_sweep(when.isoformat())
    when_text = cn_date(when)
    console.print(f"{when_text}巡检：关闭公示{done['windows_closed']}个，流转{done['advanced']}件，"
                  f"标记超期{done['overdue_flagged']}件")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the audit hash chain: whole (exit 0), or the first edited, removed or reordered event (exit 1)."""
    with session_scope() as session:
        broken = first_broken(session)
        count = session.scalar(select(func.count()).select_from(AuditEvent))
    if broken is None:
        console.print(f"审计记录完整：共{count}条")
        return
    console.print(f"[bold red]审计记录不完整：[/]第{broken}条起哈希链断开（该条记录被修改、删除或顺序被改动），"
                  f"现存{count}条")
    raise typer.Exit(code=1)


@app.command()
def demo(
    out: Annotated[str, typer.Option(help="Folder for the demo's database and documents.")] = "out/demo",
    chain: Annotated[str, typer.Option(help="Which chain (see `tuopin chains`).")] = "household-exit",
) -> None:
    """Run a chain end to end on a simulated clock: by default seed 000's township through household exit."""
    try:
        run_demo = demo_of(chain_named(chain))
    except NotFound as error:
        fail(error)
    run_demo(out)


def _demo_module(chain: Chain) -> str:
    """Where a chain's demo lives: demo/<the chain's package>.py (demo/household_exit.py)."""
    return f"demo.{chain.code.lower()}"


def demo_chains() -> list[Chain]:
    """The chains that have a demo, in DOMAIN §4's order; no demo is imported."""
    return [c for c in all_chains() if importlib.util.find_spec(_demo_module(c)) is not None]


def demo_of(chain: Chain) -> Callable[[str], None]:
    """A chain's demo, imported only now: its module names the chain it shows (CODE) and runs it into a folder
    (run); a chain without one is refused with the chains that have one."""
    if importlib.util.find_spec(_demo_module(chain)) is None:
        shown = "、".join(f"{c.cli_name}（{c.name}）" for c in demo_chains())
        raise NotFound(f"{chain.name}尚无演示；有演示的流程：{shown}")
    run_demo: Callable[[str], None] = importlib.import_module(_demo_module(chain)).run
    return run_demo
