"""Stage-input forms: the fields a person fills in for each input a stage takes, from which the CLI's `tuopin
record` and the dashboard's case-page forms are both made, and the one path that records an input through them."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from models.core.actors import Actor, Role
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.door.cases import load_rows
from models.door.chain import INPUT_NAMES, Chain, Input, Stage, Takes, all_chains, chain_named
from models.door.fields import KIND_NAMES, Field, FormInvalid, Kind, Upload, read_field, read_fields
from models.door.inputs import admit, recorder_problem

# The fields' vocabulary is part of this module's API (the chains' forms import it from here).
__all__ = ["KIND_NAMES", "Field", "FormInvalid", "Given", "InputForm", "Kind", "Target", "Upload", "case_stage",
           "for_case", "form_for", "input_named", "input_slug", "read_field", "read_values", "record_input",
           "register_form", "target", "waiting_inputs"]


@dataclass(frozen=True)
class Given:
    """What a form's record function receives: values already read and checked against the fields."""

    session: Session
    actor: Actor
    chain: Chain
    stage: Stage
    case_id: int | None  # None only for a form that opens its own case (chain G's FINDING)
    values: dict[str, object]
    now: datetime


@dataclass(frozen=True)
class InputForm:
    """The form of one input: its fields, and the chain's function that records what they hold."""

    input: Input
    fields: tuple[Field, ...]
    record: Callable[[Given], str]  # writes (no commit), returns the Chinese confirmation ("已登记……")
    title: str = ""  # default: INPUT_NAMES[input]
    opens_case: bool = False  # recorded without a case and opens one (chain G's FINDING)
    # Fields that depend on the case (the policy's scored indicators, the households drawn), after `fields`.
    case_fields: Callable[[Session, int], tuple[Field, ...]] | None = None

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", INPUT_NAMES[self.input])
        names = [f.name for f in self.fields]
        assert len(set(names)) == len(names), f"duplicate field in the form of {self.input}"


_FORMS: dict[tuple[str | None, Input], InputForm] = {}


def register_form(form: InputForm, *, chain: str | None = None) -> InputForm:
    """Declare the form of an input for one chain (its CODE), or for every chain (None: HOME_CHECK)."""
    _FORMS[(chain, form.input)] = form
    return form


def _import_forms(module: str) -> None:
    if importlib.util.find_spec(module) is not None:
        importlib.import_module(module)


def form_for(chain: Chain, kind: Input) -> InputForm:
    """The chain's form for this input, else the shared one; imports `models.chains.<package>.forms` (and the
    shared `models.home_checks.forms`) on first use, so reads never import a form."""
    found = _FORMS.get((chain.code, kind)) or _FORMS.get((None, kind))
    if found is None:
        _import_forms(f"models.chains.{chain.code.lower()}.forms")
        _import_forms("models.home_checks.forms")
        found = _FORMS.get((chain.code, kind)) or _FORMS.get((None, kind))
    if found is None:
        raise NotFound(f"{chain.name}没有“{INPUT_NAMES[kind]}”的登记表")
    return found


def for_case(form: InputForm, session: Session, case_id: int | None) -> InputForm:
    """The form as one case shows it: its own fields, then those the case adds (none for a form without them)."""
    if form.case_fields is None or case_id is None:
        return form
    return replace(form, fields=form.fields + form.case_fields(session, case_id), case_fields=None)


def waiting_inputs(chain: Chain, stage: Stage) -> tuple[tuple[Takes, InputForm], ...]:
    """The inputs this stage takes, with their forms (what the case page shows as the stage waiting for)."""
    return tuple((takes, form_for(chain, takes.input)) for takes in stage.inputs)


def case_opening_forms(role: Role) -> list[tuple[Chain, Takes, InputForm]]:
    """The forms this role records that open their own case (chain G's finding), chain by chain: what a clerk starts
    from the overview rather than from a case."""
    return [(chain, takes, form) for chain in all_chains() for stage in chain.stages for takes, form in
            waiting_inputs(chain, stage) if form.opens_case and role in stage.recorders(takes.input)]


def input_slug(kind: Input) -> str:
    """How the command line and the dashboard's URLs write an input: home-check."""
    return kind.value.lower().replace("_", "-")


def input_named(text: str) -> Input:
    """The input a name means (home-check, HOME_CHECK); an unknown name is refused with the names that exist."""
    key = text.strip().upper().replace("-", "_")
    if key in Input.__members__:
        return Input(key)
    choices = "、".join(f"{input_slug(k)}（{INPUT_NAMES[k]}）" for k in Input)
    raise NotFound(f"没有登记事项“{text}”；可选：{choices}")


def read_values(form: InputForm, raw: Mapping[str, Sequence[str | Upload]]) -> dict[str, object]:
    """Check every field of the form against raw text (and uploads) and return the typed values; the problems
    raise FormInvalid (an InvalidInput: record=form title, field=label, value=raw text, rule in Chinese) naming all
    problems of the form at once, and nothing is written."""
    return read_fields(form.title, form.fields, raw)


@dataclass(frozen=True)
class Target:
    """Where an input is recorded: the case (None for a form that opens its own), its chain and current stage,
    and the form as that case shows it."""

    chain: Chain
    stage: Stage
    case_id: int | None
    form: InputForm


def target(session: Session, kind: Input, *, case_id: int | None = None, chain: Chain | None = None) -> Target:
    """The form of an input at a case's current stage, or, without a case, at the stage of `chain` whose form opens
    its case (chain G's finding); a case that does not exist, or a chain with no such form, is NotFound."""
    if case_id is None:
        if chain is None:
            raise NotFound("须指明案件编号，或指明流程以登记新的问题")
        stage = next((s for s in chain.stages if s.takes(kind)), None)
        form = form_for(chain, kind) if stage is not None else None
        if stage is None or form is None or not form.opens_case:
            raise NotFound(f"{chain.name}的“{INPUT_NAMES[kind]}”须针对已有案件登记，请指明案件编号")
        return Target(chain, stage, None, form)
    found, stage = case_stage(session, case_id)
    if stage.takes(kind) is None:
        takes = "、".join(f"{input_slug(t.input)}（{INPUT_NAMES[t.input]}）" for t in stage.inputs)
        raise TransitionRefused({case_id: f"“{stage.name}”环节不登记{INPUT_NAMES[kind]}；"
                                          + (f"本环节登记：{takes}" if takes else "本环节没有需登记的事项")})
    return Target(found, stage, case_id, for_case(form_for(found, kind), session, case_id))


def case_stage(session: Session, case_id: int) -> tuple[Chain, Stage]:
    """A case's chain and current stage; a case that does not exist is NotFound."""
    row = load_rows(session, [case_id]).get(case_id)
    if row is None:
        raise NotFound(f"案件{case_id}不存在")
    found = chain_named(row.chain)
    return found, found.stage(row.stage)


def record_input(*, session: Session, target: Target, actor: Actor, raw: Mapping[str, Sequence[str | Upload]],
                 now: datetime) -> str:
    """Record one input through its form (the caller commits): first whether this person may record it there,
    then every field checked, then the chain's own function; any refusal raises and nothing is written."""
    kind = target.form.input
    if target.case_id is not None:
        admit(session=session, case_ids=[target.case_id], actor=actor, stage=target.stage.code, kind=kind, now=now)
    else:
        problem = recorder_problem(actor, target.stage, kind)
        if problem:
            raise InvalidInput(target.form.title, "办理人", actor.title(), problem)
    values = read_values(target.form, raw)
    return target.form.record(Given(session, actor, target.chain, target.stage, target.case_id, values, now))
