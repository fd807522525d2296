"""A chain is data: an ordered table of stages that the one engine runs (DESIGN decision 2)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from models import chains
from models.core.actors import Role
from models.core.case import STATUS_NAMES, Status
from models.core.errors import NotFound
from models.core.regions import Level


@dataclass(frozen=True)
class CaseRow:
    """What a guard sees of a case: its row and its open stage record."""

    id: int
    chain: str
    year: int
    stage: str
    status: str
    version: int
    village_code: str
    household_id: int | None
    record_id: int | None
    record_opened_at: datetime | None
    record_outcome: str | None


# A guard looks at many cases at once and returns, for each case it refuses, a reason a cadre can read.
GuardCheck = Callable[[Session, Sequence[CaseRow]], dict[int, str]]


@dataclass(frozen=True)
class Guard:
    name: str
    check: GuardCheck


class Input(StrEnum):
    """What a person records at a stage besides the decision itself (models/door/inputs.py guards each one)."""

    HOME_CHECK = "HOME_CHECK"  # a household's home check 四看一算 (models/home_checks/recording.py)
    VILLAGE_ACCEPTANCE = "VILLAGE_ACCEPTANCE"  # a village's acceptance 一个确保、两个完善 (chain B)
    VILLAGE_FIGURES = "VILLAGE_FIGURES"  # a village's figures: households, relative-poor, incomes (chain D)
    SAMPLE = "SAMPLE"  # the checking team draws its sample (a stage whose sampling is Sampler.TEAM)
    SAMPLE_FINDINGS = "SAMPLE_FINDINGS"  # what the team found in the drawn households, and the survey (chain B)
    INCOME_RECHECK = "INCOME_RECHECK"  # a drawn household's income measured again (chain E)
    FINDING = "FINDING"  # a problem an inspection found, which opens its case (chain G)
    FIX = "FIX"  # the responsible unit's fix with its evidence (chain G)
    RECORD_CARD = "RECORD_CARD"  # a household's record card 建档立卡 (chain E)
    ASSIGNMENT = "ASSIGNMENT"  # a warned item handed to an industry department (chain F)
    CLOSEOUT_REQUEST = "CLOSEOUT_REQUEST"  # the department's measures and its request to close out (chain F)
    CLOSEOUT_CHECK = "CLOSEOUT_CHECK"  # the township's verification of each item asked to close out (chain F)
    WARNING = "WARNING"  # a village's monthly round: the households observed and the items each lacks (chain F)
    HOME_VISIT = "HOME_VISIT"  # the income a home visit measured, for the registration form (chains C and E)


INPUT_NAMES = {
    Input.HOME_CHECK: "入户核查（四看一算）",
    Input.VILLAGE_ACCEPTANCE: "贫困村退出验收",
    Input.VILLAGE_FIGURES: "村情数据",
    Input.SAMPLE: "抽取核查样本",
    Input.SAMPLE_FINDINGS: "抽样核查结果",
    Input.INCOME_RECHECK: "抽中户收入核查",
    Input.FINDING: "排查问题",
    Input.FIX: "整改情况",
    Input.RECORD_CARD: "建档立卡内容",
    Input.ASSIGNMENT: "交办行业部门",
    Input.CLOSEOUT_REQUEST: "销号申请",
    Input.CLOSEOUT_CHECK: "销号核实",
    Input.WARNING: "预警标注",
    Input.HOME_VISIT: "入户核实登记",
}


@dataclass(frozen=True)
class Takes:
    """An input a stage takes, and who records it."""

    input: Input
    roles: tuple[Role, ...] = ()  # who records it; none named: the stage's deciding role


class Subject(StrEnum):
    """What one case of a chain is about."""

    HOUSEHOLD = "HOUSEHOLD"  # a registered household (opened from the registry)
    VILLAGE = "VILLAGE"  # a village (opened for the villages that apply)
    FINDING = "FINDING"  # a problem an inspection found (opened one by one as findings are recorded)


class Sampler(StrEnum):
    """Who draws a stage's spot-check sample."""

    MACHINE = "MACHINE"  # the machine, per village, as the cases enter the stage (models/door/sampling.py)
    TEAM = "TEAM"  # the checking team, with its own rule, when it starts the check (Input.SAMPLE)


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    level: Level
    role: Role | None  # None: no one decides; the stage completes when its window closes
    # A publicity window, one per region of this level, opens once the stage's decision (if any) is approved.
    window_scope: Level | None = None
    sampling: Sampler | None = None  # a spot-check sample is drawn at this stage, and by whom
    inputs: tuple[Takes, ...] = ()  # what people record here before the stage's decision
    documents: tuple[str, ...] = ()
    sends_back_to: str | None = None
    guards: tuple[Guard, ...] = ()
    # The policy gives the stage a time limit (models/door/cases.py::due_at); False where the stage has none of its
    # own on purpose (chain G's fix: each finding's own due date rules it).
    has_time_limit: bool = True

    @property
    def window(self) -> bool:
        return self.window_scope is not None

    def takes(self, kind: Input) -> Takes | None:
        """How this stage takes an input of this kind; None if it takes none."""
        return next((t for t in self.inputs if t.input is kind), None)

    def recorders(self, kind: Input) -> tuple[Role, ...]:
        """The roles that record this input here (none if the stage takes no such input)."""
        found = self.takes(kind)
        if found is None:
            return ()
        return found.roles or ((self.role,) if self.role is not None else ())


@dataclass(frozen=True)
class Chain:
    code: str  # also the name of its package under models/chains, in lower case
    letter: str  # its letter in DOMAIN §4 (A to G), which orders lists and counts
    name: str
    stages: tuple[Stage, ...]
    subject: Subject = Subject.HOUSEHOLD
    summary: str = ""  # one line for `tuopin chains`: who decides what, in the clerks' words
    finished: str = "已退出"  # what a case that passed the last stage is called (已认定, 已销号...)

    def __post_init__(self) -> None:
        codes = [s.code for s in self.stages]
        assert len(set(codes)) == len(codes), f"duplicate stage in {self.code}"
        for stage in self.stages:
            assert stage.sends_back_to is None or stage.sends_back_to in codes, stage.code
            # The team's draw is the input of a team-sampled stage, and of no other.
            assert (stage.sampling is Sampler.TEAM) == (stage.takes(Input.SAMPLE) is not None), stage.code
            assert all(stage.recorders(t.input) for t in stage.inputs), f"no one records the inputs of {stage.code}"

    @property
    def cli_name(self) -> str:
        """How the command line and the dashboard write the chain: its code in lower case with dashes."""
        return self.code.lower().replace("_", "-")

    def status_name(self, status: str) -> str:
        """A case's status in words, with this chain's name for a finished case."""
        return self.finished if status == Status.EXITED else STATUS_NAMES[Status(status)]

    @property
    def first(self) -> Stage:
        return self.stages[0]

    def stage(self, code: str) -> Stage:
        """The stage with this code; an unknown code is refused with the codes that exist."""
        for stage in self.stages:
            if stage.code == code:
                return stage
        choices = "、".join(f"{s.code}（{s.name}）" for s in self.stages)
        raise NotFound(f"{self.name}没有环节“{code}”；可选：{choices}")

    def next_after(self, code: str) -> Stage | None:
        """The stage after `code` in the table's order; None after the last."""
        index = [s.code for s in self.stages].index(code)
        return self.stages[index + 1] if index + 1 < len(self.stages) else None

    def number(self, code: str) -> int:
        return [s.code for s in self.stages].index(code) + 1


_REGISTRY: dict[str, Chain] = {}


def register(chain: Chain) -> Chain:
    _REGISTRY[chain.code] = chain
    return chain


def _package(code: str) -> str:
    """The chain package a code names: HOUSEHOLD_EXIT, household-exit -> household_exit."""
    return code.strip().lower().replace("-", "_")


def _load(package: str) -> None:
    """Import a chain's table, which registers the chain; a name with no package imports nothing."""
    if package.isidentifier() and importlib.util.find_spec(f"{chains.__name__}.{package}") is not None:
        importlib.import_module(f"{chains.__name__}.{package}.stages")


def chain_named(code: str) -> Chain:
    """A registered chain by its code, also written in lower case with dashes (household-exit); an unknown
    name is refused with the chains that exist."""
    key = _package(code).upper()
    if key not in _REGISTRY:
        _load(_package(code))
    found = _REGISTRY.get(key)
    if found is None:
        choices = "、".join(f"{c.cli_name}（{c.name}）" for c in all_chains())
        raise NotFound(f"没有流程“{code}”；可选：{choices}")
    return found


def all_chains() -> list[Chain]:
    """Every chain that has a package under models/chains, in DOMAIN §4's order (A, B, C...)."""
    for package in pkgutil.iter_modules(chains.__path__):
        if package.ispkg:
            _load(package.name)
    return sorted(_REGISTRY.values(), key=lambda c: c.letter)
