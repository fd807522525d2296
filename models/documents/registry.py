"""The registry of document kinds: each kind is declared once, beside its builder, with when it is due, the region
one paper covers, how to find the batches owed a paper, and how to render one; the machine reads it.

A kind registers itself when its module is imported. The kinds of a chain live in its package's `documents/`,
the kinds several chains share in `models/documents/` (SHARED); `kinds_for(chain)` imports both the first time
the chain's papers are asked for, so a read (`tuopin status`) imports no document builder.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from sqlmodel import Session

from models import chains
from models.core.document import Document
from models.core.regions import PREFIX_DIGITS, Level
from models.door.chain import Chain

T = TypeVar("T")
# Modules of models/documents/ that declare the kinds several chains list.
SHARED = ("application", "minutes", "registration_form")


class Trigger(StrEnum):
    """When a kind's paper is due."""

    WINDOW_OPENS = "WINDOW_OPENS"  # a public list: once per window, when the machine opens it
    EACH_DAY = "EACH_DAY"  # once per region and day of the stage's decisions (a meeting's minutes)
    DECIDED = "DECIDED"  # once the stage has decided the cases, per region (and signer, for a letter)
    SAMPLE_FINISHED = "SAMPLE_FINISHED"  # once every drawn case of a sample is decided
    BATCH_DECIDED = "BATCH_DECIDED"  # once no case of the region waits at the stage or before it
    RECORDED = "RECORDED"  # when a person's entry is recorded (an acceptance, an assignment, a round, a card)


class Scope(StrEnum):
    """The region one paper covers."""

    HOUSEHOLD = "HOUSEHOLD"  # one case
    VILLAGE = "VILLAGE"
    TOWNSHIP = "TOWNSHIP"
    COUNTY = "COUNTY"
    CITY = "CITY"
    PROVINCE = "PROVINCE"

    @property
    def level(self) -> Level:
        """The level of region the paper belongs to (a household's is its village)."""
        return Level.VILLAGE if self is Scope.HOUSEHOLD else Level(self.value)


@dataclass(frozen=True)
class Run:
    """Where the machine looks for a kind's papers: one chain's cases of a year at one stage, in the regions whose
    code starts with `scope` ("" for all), widened to the kind's scope (a township's run sees its county's papers)."""

    chain: str
    year: int
    stage: str
    scope: str

    def widened(self, scope: Scope) -> Run:
        digits = PREFIX_DIGITS[scope.level]
        return self if len(self.scope) <= digits else Run(self.chain, self.year, self.stage, self.scope[:digits])


class NoticeRenderer(Protocol):
    def __call__(self, session: Session, *, window_id: int, now: datetime) -> Document: ...


@dataclass(frozen=True)
class Notice:
    """A public list posted when its window opens: the machine renders one for each window it opens."""

    code: str
    name: str
    scope: Scope  # the stage's window level
    render: NoticeRenderer

    @property
    def trigger(self) -> Trigger:
        return Trigger.WINDOW_OPENS


@dataclass(frozen=True)
class Paper(Generic[T]):
    """A letter, form or table rendered once its inputs are complete: `ready` finds the batches whose inputs are
    complete and that have no paper yet (so a rerun renders nothing twice), in the order to render them; `render`
    renders and stores one batch's paper (the caller commits)."""

    code: str
    name: str
    trigger: Trigger
    scope: Scope
    ready: Callable[[Session, Run], Sequence[T]]
    render: Callable[[Session, Run, T, datetime], Document]


Kind = Notice | Paper[Any]
_KINDS: dict[str, Kind] = {}
_LOADED: set[str] = set()


def register(kind: Kind) -> Kind:
    """Declare a kind (at the bottom of its builder's module); a second kind with the same code is refused."""
    found = _KINDS.setdefault(kind.code, kind)
    if found is not kind:
        raise ValueError(f"document kind {kind.code} is declared twice")
    return kind


def _import_all(package: str) -> None:
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{module.name}")


def kinds_for(chain: Chain) -> dict[str, Kind]:
    """The kinds declared where this chain's papers can come from: its package's documents and the shared kinds
    (never another chain's: a kind two chains list belongs in models/documents/)."""
    package = f"{chains.__name__}.{chain.code.lower()}"
    if chain.code not in _LOADED:
        for name in SHARED:
            importlib.import_module(f"{__package__}.{name}")
        if importlib.util.find_spec(package) and importlib.util.find_spec(f"{package}.documents"):
            _import_all(f"{package}.documents")
        _LOADED.add(chain.code)
    homes = (f"{package}.documents.", *(f"{__package__}.{name}" for name in SHARED))
    # A kind's home is the module of its renderer, which is declared beside it.
    return {code: kind for code, kind in _KINDS.items() if kind.render.__module__.startswith(homes)}


def kind_named(chain: Chain, code: str) -> Kind | None:
    """The declared kind with this code among the chain's; None when none is declared."""
    return kinds_for(chain).get(code)


def papers_of(chain: Chain, stage: str) -> list[Paper[Any]]:
    """The papers the stage lists, in its table's order (its notices are the windows')."""
    kinds = kinds_for(chain)
    return [k for k in (kinds.get(code) for code in chain.stage(stage).documents) if isinstance(k, Paper)]


def notices_of(chain: Chain, stage: str) -> list[Notice]:
    """The public lists the stage posts when its windows open."""
    kinds = kinds_for(chain)
    return [k for k in (kinds.get(code) for code in chain.stage(stage).documents) if isinstance(k, Notice)]
