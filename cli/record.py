"""`tuopin record` and `tuopin inputs`: every stage input a chain declares, recorded from its form's fields
(`--set name=value`), and what a case's stage waits for, so a clerk can write the command."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.common import ActorOption, NowOption, console, fail, moment
from models.core.actors import ROLE_NAMES, actor_by_login
from models.core.db import session_scope
from models.core.errors import InvalidInput, TuopinError
from models.door.chain import chain_named
from models.door.forms import (
    KIND_NAMES,
    Field,
    InputForm,
    Kind,
    Upload,
    case_stage,
    for_case,
    form_for,
    input_named,
    input_slug,
    record_input,
    target,
    waiting_inputs,
)

SetOption = Annotated[list[str], typer.Option("--set", help="A field of the form: name=value (repeat for several).")]


def _raw(form: InputForm, sets: list[str]) -> dict[str, list[str | Upload]]:
    """The `--set name=value` options as the form's raw values; a FILE field's value is a path read from disk."""
    kinds = {f.name: f.kind for f in form.fields}
    labels = {f.name: f.label for f in form.fields}
    raw: dict[str, list[str | Upload]] = defaultdict(list)
    for given in sets:
        name, sep, value = given.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidInput(form.title, given, given, "须写作 --set 字段名=值")
        if kinds.get(name) is Kind.FILE and value.strip():
            path = Path(value.strip()).expanduser()
            if not path.is_file():
                raise InvalidInput(form.title, labels[name], value, "文件不存在")
            raw[name].append(Upload(path.name, path.read_bytes()))
        else:
            raw[name].append(value)
    return dict(raw)


def record_command(
    case_id: Annotated[int | None, typer.Argument(help="Case number (none for a form that opens its case).")] = None,
    input_: Annotated[str, typer.Option("--input", help="The input, e.g. home-check (see `tuopin inputs CASE`).")] = "",
    actor: ActorOption = "",
    sets: SetOption = [],  # noqa: B006
    chain: Annotated[str | None, typer.Option(help="The chain, for a form that opens its case (rectification).")]
    = None,
    now: NowOption = None,
) -> None:
    """Record a stage input of a case at its current stage, from the fields of its form."""
    if not input_ or not actor:
        fail("须给出 --input 与 --as")
    with session_scope() as session:
        try:
            kind = input_named(input_)
            where = target(session, kind, case_id=case_id, chain=chain_named(chain) if chain else None)
            said = record_input(session=session, target=where, actor=actor_by_login(session, actor),
                                raw=_raw(where.form, sets), now=moment(now))
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)
    console.print(said)


def _range(field: Field) -> str:
    if field.choices:
        return "、".join(f"{value}（{label}）" for value, label in field.choices)
    low, high = field.minimum, field.maximum
    if field.kind is Kind.AMOUNT and low is None:
        low = 0  # type: ignore[assignment]
    if low is None and high is None:
        return ""
    return f"{'' if low is None else low}～{'' if high is None else high}"


def _show(where: str, form: InputForm, who: str) -> None:
    """One form's fields as a table, and the command that records it (`where`: the case, or the chain)."""
    table = Table(title=f"{form.title}（--input {input_slug(form.input)}，由{who}登记）", title_justify="left")
    for column in ("字段名", "名称", "类型", "必填", "可选值/范围", "说明"):
        table.add_column(column)
    for field in form.fields:
        kind = KIND_NAMES[field.kind] + ("，可多次填写" if field.repeat else "")
        table.add_row(field.name, field.label, kind, "是" if field.required else "否", _range(field), field.help)
    console.print(table)
    example = " ".join(f"--set {f.name}=…" for f in form.fields if f.required)
    console.print(f"  tuopin record {where}--input {input_slug(form.input)} --as 登录名 {example}".rstrip())


def inputs_command(
    case_id: Annotated[int | None, typer.Argument(help="Case number.")] = None,
    chain: Annotated[str | None, typer.Option(help="A chain: the forms that open its cases.")] = None,
) -> None:
    """What a case's current stage waits for: each input, who records it, and its fields."""
    with session_scope() as session:
        try:
            if case_id is None:
                if not chain:
                    fail("须给出案件编号，或 --chain 查看登记新案件的表单")
                found = chain_named(chain)
                shown = 0
                for stage in found.stages:
                    for takes in stage.inputs:
                        form = form_for(found, takes.input)
                        if form.opens_case:
                            who = "或".join(ROLE_NAMES[r] for r in stage.recorders(takes.input))
                            _show(f"--chain {found.cli_name} ", form, who)
                            shown += 1
                if not shown:
                    console.print(f"{found.name}没有不针对案件登记的表单；请给出案件编号")
                return
            of, stage = case_stage(session, case_id)
            if not stage.inputs:
                console.print(f"案件{case_id}处于“{stage.name}”环节，本环节没有需登记的事项（只待办理决定）")
                return
            console.print(f"案件{case_id}：{of.name}，当前环节“{stage.name}”待登记：")
            for takes, form in waiting_inputs(of, stage):
                who = "或".join(ROLE_NAMES[r] for r in stage.recorders(takes.input))
                _show(f"{case_id} ", for_case(form, session, case_id), who)
        except TuopinError as error:
            fail(error)
