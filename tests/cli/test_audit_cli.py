"""`tuopin audit verify` walks the hash chain of the audit trail, on every test database backend."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, update
from typer.testing import CliRunner, Result

from cli.main import app
from models.core.audit import AuditEvent
from tests.walk import open_all

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
runner = CliRunner(env={"COLUMNS": "250"})


def verify() -> Result:
    return runner.invoke(app, ["audit", "verify"])


def test_an_intact_chain_is_reported_with_its_count(world):
    ids = open_all(world, T0)
    result = verify()
    assert result.exit_code == 0, result.output
    assert f"审计记录完整：共{len(ids)}条" in result.output


def test_an_empty_trail_is_intact(database):
    result = verify()
    assert result.exit_code == 0, result.output
    assert "审计记录完整：共0条" in result.output


def test_an_actor_edited_in_the_database_is_named_by_its_seq(world):
    open_all(world, T0)
    world.session.execute(update(AuditEvent).where(AuditEvent.seq == 5).values(actor="某人"))
    world.session.commit()
    result = verify()
    assert result.exit_code == 1, result.output
    assert "第5条" in result.output and "审计记录完整" not in result.output


def test_a_deleted_event_is_named_by_its_seq(world):
    ids = open_all(world, T0)
    world.session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    world.session.commit()
    result = verify()
    assert result.exit_code == 1, result.output
    assert "第3条" in result.output and f"现存{len(ids) - 1}条" in result.output


def test_a_deleted_last_event_is_found_through_the_head(world):
    ids = open_all(world, T0)
    world.session.execute(delete(AuditEvent).where(AuditEvent.seq == len(ids)))
    world.session.commit()
    result = verify()
    assert result.exit_code == 1, result.output
    assert f"第{len(ids)}条" in result.output
