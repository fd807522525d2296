"""The task of one stage of a chain in one township: the machine's part of the stage (close the due windows,
release, post notices, draw samples, render papers), its overdue visits flagged against the policy's time limit,
and what it leaves waiting on a person, in a window or overdue. Its task run is named for the stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from prefect import Task, get_run_logger, task
from sqlmodel import Session

from models.core.actors import Actor
from models.core.db import session_scope
from models.core.regions import Level, prefix
from models.door import machine
from models.door.chain import Sampler, Stage, chain_named
from models.door.overdue import flag_overdue
from models.door.windows import close_due_windows
from models.policy.loading import policy_for
from tasks.context import moment, work
from tasks.standing import stage_standing


@dataclass(frozen=True)
class TimeLimit:
    """A stage's time limit in a province and year (its policy file): calendar or working days; None: no limit."""

    days: int | None
    workdays: bool = False

    def __str__(self) -> str:
        if self.days is None:
            return "无时限"
        return f"{self.days}个工作日" if self.workdays else f"{self.days}天"

    @property
    def phrase(self) -> str:
        """As a task run's name says it: 时限15天, 时限10个工作日, 无时限."""
        return "无时限" if self.days is None else f"时限{self}"


def time_limit(stage: str, region: str, year: int) -> TimeLimit:
    """The policy's time limit for the stage in the region's province and year (models/door/cases.py::due_at counts
    each visit's due moment from it)."""
    policy = policy_for(region, year)
    if stage in policy.deadline_workdays:
        return TimeLimit(policy.deadline_workdays[stage], workdays=True)
    return TimeLimit(policy.deadlines.get(stage))


@dataclass(frozen=True)
class StageRun:
    """What one stage's task did in one township, and what it left."""

    chain: str
    stage: str
    township: str
    time_limit: str  # in words: 15天, 10个工作日, 无时限
    windows_closed: int = 0
    advanced: int = 0  # cases the stage's closed windows let move on
    posted: int = 0  # cases posted in the windows it opened
    samples: int = 0  # villages whose sample it drew
    documents: int = 0  # papers it rendered
    overdue_flagged: int = 0  # visits it found past their due moment
    waiting: int = 0  # cases left at the stage waiting on a person (a decision, a check, an objection)
    in_window: int = 0  # cases left at the stage in an open publicity window
    overdue: int = 0  # of the cases left at the stage, those past their due moment undecided

    def work(self) -> dict[str, int]:
        """What it did, as the flow's counts: windows closed, and per stage `<STAGE>.<what>`; none that are 0."""
        done = {"windows_closed": self.windows_closed}
        for what in ("advanced", "posted", "samples", "documents", "overdue_flagged"):
            done[f"{self.stage}.{what}"] = getattr(self, what)
        return {k: v for k, v in done.items() if v}


def _step(action: Callable[[Session, Actor], int]) -> int:
    """One step of the stage in its own transaction, so what a step did stays done if a later one fails."""
    with work() as (session, system):
        return action(session, system)


@task(retries=2, retry_delay_seconds=1)
def run_stage(chain: str, stage: str, township: str, year: int, now: str | datetime | None = None, *,
              machine_work: bool = True, windows_due: bool = True, idle: bool = False) -> StageRun:
    """Do the stage's machine work in the township, flag its overdue visits, and say what is left.

    The flow tells it from one read of the township (machine.pending) whether the stage has machine work and whether
    any window is due to close; `idle`: no case is at the stage and it has no work, so nothing is read or written.
    """
    the_chain = chain_named(chain)
    the_stage = the_chain.stage(stage)
    result = StageRun(the_chain.code, stage, township, str(time_limit(stage, township, year)))
    if idle:
        return result
    at = moment(now)
    code, scope = the_chain.code, prefix(township, Level.TOWNSHIP)
    counts: dict[str, int] = {}
    if the_stage.window and windows_due:
        # Every due window of the township, whichever stage posted it: a closed window holds no case back.
        counts["windows_closed"] = _step(lambda s, a: len(close_due_windows(session=s, now=at, actor=a,
                                                                             scope_prefix=scope)))
    if the_stage.window and machine_work:
        counts["advanced"] = _step(lambda s, a: len(machine.release(
            session=s, chain=code, stage=stage, scope=scope, year=year, now=at, actor=a).moved))
        counts["posted"] = _step(lambda s, a: machine.post_notices(
            session=s, chain=code, stage=stage, scope=scope, year=year, now=at, actor=a))
    if the_stage.sampling is Sampler.MACHINE and machine_work:
        counts["samples"] = _step(lambda s, a: machine.draw_samples(
            session=s, chain=code, stage=stage, scope=scope, year=year, now=at, actor=a))
    if machine_work and machine.has_papers(code, stage):
        counts["documents"] = _step(lambda s, _a: machine.render_ready_documents(
            session=s, chain=code, stage=stage, scope=scope, year=year, now=at))
    counts["overdue_flagged"] = _step(lambda s, a: flag_overdue(session=s, now=at, actor=a, scope_prefix=scope,
                                                                chain=code, stage=stage, year=year))
    with session_scope() as session:
        waiting, in_window, overdue = stage_standing(session, chain=the_chain, year=year, scope=scope, stage=stage,
                                                     now=at)
    result = StageRun(result.chain, stage, township, result.time_limit, waiting=waiting, in_window=in_window,
                      overdue=overdue, **counts)
    get_run_logger().info("%s %s in %s: did %s; left %d waiting on a person, %d in a window, %d overdue (limit %s)",
                          stage, the_stage.name, township, result.work() or "nothing", waiting, in_window, overdue,
                          result.time_limit)
    return result


def stage_task(stage: Stage, township: str, township_name: str, year: int) -> Task[..., StageRun]:
    """`run_stage` named for the stage (task `HOME_CHECK 乡镇入户核查`), its run for the township and the stage's
    time limit (`HOME_CHECK 乡镇入户核查 · 示范镇 · 时限15天`).

    No tags: before running a tagged task, Prefect asks the API for a slot of each tag's concurrency limit, about
    1.5 s a task run on the local API, which a county's 160 stage runs cannot afford.
    """
    label = f"{stage.code} {stage.name}"
    return run_stage.with_options(name=label, task_run_name=f"{label} · {township_name} · "
                                                            f"{time_limit(stage.code, township, year).phrase}")
