"""Load benchmark of the one door under concurrent clerks; figures are printed, never asserted:

1. throughput: N clients (N = 1, 2, 4, 8), each a process of its own with its own connection, decide distinct
   cases one at a time through `transition` (one transaction per decision), in decisions per second;
2. contention: the clients race on a few shared cases, each driving every one of them through stages 1-3;
3. verification: every decision a client was told had landed is in the database exactly once (its stage record,
   by that client's clerk, and its audit event), no other decision is, each case's version counts its moves, and
   the audit chain is whole. Any problem there (or a raw database error) exits 1.

It builds a scratch database of its own on the server it is given (dropped afterwards), never writing to an existing
one: python -m bench.load [URL] [--clients 1,2,4,8] [--decisions N] [--shared N] [--keep], where URL names a
PostgreSQL server (default TUOPIN_TEST_POSTGRES_URL, as `tools/with-postgres .venv/bin/python -m bench.load` sets
it, then TUOPIN_DATABASE_URL); a sqlite URL measures a scratch SQLite file instead.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import col

from models.chains.household_exit.stages import CODE
from models.core.actors import Actor, Role, system_actor
from models.core.audit import AuditEvent, first_broken
from models.core.case import Case, StageRecord
from models.core.clock import parse
from models.core.db import dispose_engine, engine_for, session_scope, upgrade
from models.core.errors import Conflict, TransitionRefused
from models.door.cases import load_rows, open_cases
from models.door.engine import Move, apply, transition
from synthetic.area import build_area

STAGES = {"GROUP_RECOMMEND": Role.GROUP_LEADER, "COMMITTEE_REVIEW": Role.VILLAGE_COMMITTEE,
          "CHECK_REQUEST": Role.VILLAGE_COMMITTEE}  # the stages a clerk decides with no check to record first
NOW = parse("2026-10-10 09:00")
Attempt = tuple[int, str, str, float]  # what a client reports per attempt: case, stage, what happened, seconds
Told = tuple[int, str, int]  # a decision a client was told had landed: case, stage, client


def say(text: str) -> None:
    print(text, flush=True)


def clerk_name(client: int, role: Role, village: str) -> str:
    return f"压测{client}号{'组长' if role is Role.GROUP_LEADER else '村委'}{village}"


@contextmanager
def scratch_database(server: str, keep: bool) -> Iterator[str]:
    """A new, migrated database on the server (a temporary file for sqlite), removed afterwards unless kept."""
    if server.startswith("sqlite"):
        folder = tempfile.mkdtemp(prefix="tuopin-load-")
        url = f"sqlite:///{folder}/tuopin.db"
        try:
            upgrade(url)
            yield url
        finally:
            dispose_engine(url)
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"tuopin_load_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        dispose_engine(url)
        if not keep:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def build(url: str, households: int, clients: int) -> list[int]:
    """A county of 20 villages, a clerk per client for each deciding role in every village; the open cases."""
    started = time.perf_counter()
    with session_scope(url) as session:
        area = build_area(session, townships=2, villages_per_township=10, households=households, people=None,
                          year=2026)
        villages = [v for township in area.townships for v in area.villages[township]]
        session.add_all([Actor(name=clerk_name(k, role, v), login=clerk_name(k, role, v), role=role, region_code=v)
                         for k in range(clients) for role in set(STAGES.values()) for v in villages])
        ids = open_cases(session=session, chain=CODE, year=2026, household_ids=area.household_ids,
                         now=NOW - timedelta(days=1), actor=system_actor(session))
        session.commit()
    say(f"  built {households:,} households in {len(villages)} villages, {clients} clerks per role and village, "
        f"and opened their cases in {time.perf_counter() - started:.1f} s")
    return sorted(ids)


def client(url: str, number: int, cases: list[int], race: bool, start: Any, done: Any, out: Any) -> None:
    """One clerk's process: decide each case (racing: drive each case to the home check) one at a time."""
    attempts: list[Attempt] = []
    with session_scope(url) as session:
        clerks = {(a.role, a.region_code): a for a in session.scalars(
            select(Actor).where(col(Actor.name).startswith(f"压测{number}号")))}
        if cases:  # warm up (statement caches, policy files) with a decision that is rolled back
            row = load_rows(session, cases[:1])[cases[0]]
            apply(session=session, chain=CODE, stage=row.stage, case_ids=cases[:1], move=Move.APPROVE,
                  actor=clerks[(STAGES[row.stage], row.village_code)], now=NOW)
        session.rollback()
        start.wait()
        pending, tries = list(cases), Counter[int]()
        while pending:
            case_id = pending.pop(0)
            tries[case_id] += 1
            row = load_rows(session, [case_id])[case_id]  # what the clerk sees before deciding
            if row.stage not in STAGES:
                continue
            mark = time.perf_counter()
            try:
                result = transition(session=session, chain=CODE, stage=row.stage, case_ids=[case_id],
                                    move=Move.APPROVE, actor=clerks[(STAGES[row.stage], row.village_code)], now=NOW)
                what = "moved" if result.moved else "unchanged"
            except Conflict:
                what = "conflict"
            except TransitionRefused as refused:
                what = f"refused: {refused.reason}"
            except Exception as error:  # noqa: BLE001  (a raw database error is what the benchmark looks for)
                session.rollback()
                what = f"error: {type(error).__name__}: {str(error).splitlines()[0]}"
            attempts.append((case_id, row.stage, what, time.perf_counter() - mark))
            with done.get_lock():
                done.value += 1
            if race and tries[case_id] < 50:
                pending.insert(0, case_id)  # again, until the case is past the stages clerks decide here
    out.put((number, attempts))


def run_round(url: str, work: list[list[int]], race: bool, label: str) -> tuple[float, dict[int, list[Attempt]], str]:
    """The clients in processes of their own, started together; progress every second. Also returns, on
    PostgreSQL, how many clients waited on a lock on average (sampled five times a second) and on which statement."""
    context = mp.get_context("spawn")
    start, done, out = context.Barrier(len(work) + 1), context.Value("i", 0), context.Queue()
    processes = [context.Process(target=client, args=(url, k, cases, race, start, done, out))
                 for k, cases in enumerate(work)]
    for process in processes:
        process.start()
    start.wait()
    mark = last = time.perf_counter()
    results: dict[int, list[Attempt]] = {}
    waits: Counter[str] = Counter()
    samples = 0
    while len(results) < len(work):
        try:
            number, attempts = out.get(timeout=0.2)
            results[number] = attempts
        except queue.Empty:
            if any(p.exitcode for p in processes):
                sys.exit(f"bench.load: a client process failed (exit status {[p.exitcode for p in processes]})")
        if not url.startswith("sqlite"):
            samples += 1
            waits.update(waiting(url))
        if time.perf_counter() - last >= 1.0:
            last = time.perf_counter()
            say(f"    {label}: {last - mark:5.1f} s, {done.value:,} attempts, {done.value / (last - mark):,.0f}/s")
    seconds = time.perf_counter() - mark
    for process in processes:
        process.join()
    where = ", ".join(f"{count / samples:.1f} at {statement}" for statement, count in waits.most_common(2))
    return seconds, results, (f"{sum(waits.values()) / samples:.1f} ({where})" if waits else "0") if samples else "-"


def waiting(url: str) -> list[str]:
    """The statements the benchmark's connections are waiting on a lock in, right now."""
    with engine_for(url).connect() as connection:
        return [" ".join(str(query).split()[:3]) for query in connection.execute(text(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )).scalars()]


def landed(results: dict[int, list[Attempt]]) -> Counter[Told]:
    return Counter((case_id, stage, k) for k, attempts in results.items()
                   for case_id, stage, what, _ in attempts if what == "moved")


def verify(url: str, told: Counter[Told], cases: list[int]) -> list[str]:
    """What the database holds against what the clients were told; the problems found."""
    problems: list[str] = []
    with session_scope(url) as session:
        names = {a.id: a.name for a in session.scalars(select(Actor).where(col(Actor.name).startswith("压测")))}
        clients = {name: int(name[2:name.index("号")]) for name in names.values()}
        records = Counter((case_id, stage, clients[names[actor]]) for case_id, stage, actor in session.execute(
            select(col(StageRecord.case_id), col(StageRecord.stage), col(StageRecord.actor_id))
            .where(col(StageRecord.actor_id).in_(names), col(StageRecord.outcome).is_not(None))).tuples())
        events: Counter[Told] = Counter()
        for case_id, actor, detail in session.execute(
                select(col(AuditEvent.case_id), col(AuditEvent.actor), col(AuditEvent.detail))
                .where(col(AuditEvent.action) == f"{CODE}.APPROVE")).tuples():
            events[(case_id, json.loads(detail)["stage"], clients.get(actor, -1))] += 1
        versions = dict(session.execute(select(col(Case.id), col(Case.version))
                                        .where(col(Case.id).in_(cases))).tuples().all())
        for what, found in (("stage records", records), ("audit events", events)):
            if found != told:
                problems.append(f"{what} differ from what clients were told: {(found - told) + (told - found)}")
        moves = Counter(case_id for case_id, _, _ in told.elements())
        wrong = [c for c in cases if versions[c] != 1 + moves[c]]
        if wrong:
            problems.append(f"{len(wrong)} cases whose version does not count their moves, e.g. case {wrong[0]}")
        broken = first_broken(session)
        if broken is not None:
            problems.append(f"audit chain broken at event {broken}")
        total = session.scalar(select(func.count()).select_from(AuditEvent))
    yes = {True: "yes", False: "NO"}
    say(f"  {sum(told.values()):,} decisions reported as landed; stage records and audit events match them: "
        f"{yes[records == told == events]}; versions count the moves: {yes[not wrong]}; "
        f"audit chain of {total:,} events whole: {yes[broken is None]}")
    return problems


def throughput(url: str, ids: list[int], rounds: list[int], decisions: int) -> tuple[Counter[Told], list[str]]:
    say("\n1. Distinct cases, one decision per transaction through the door, each client a process of its own")
    told: Counter[Told] = Counter()
    rows: list[tuple[int, float, list[float], str]] = []
    problems: list[str] = []
    for index, n in enumerate(rounds):
        batch = ids[index * decisions:(index + 1) * decisions]
        seconds, results, waits = run_round(url, [batch[k::n] for k in range(n)], False, f"N={n}")
        told += landed(results)
        latencies = [t for attempts in results.values() for _, _, what, t in attempts if what == "moved"]
        rows.append((n, seconds, latencies, waits))
        problems += sorted({f"N={n}, not landed: {what}" for attempts in results.values()
                            for _, _, what, _ in attempts if what != "moved"})
        say(f"  N={n}: {len(latencies):,} decisions in {seconds:.2f} s")
    say(f"\n  {'clients':>7} {'decisions':>10} {'seconds':>8} {'decisions/s':>12} {'p50 ms':>7} {'p95 ms':>7}"
        "  clients waiting on a lock")
    for n, seconds, latencies, waits in rows:
        p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else 0.0
        say(f"  {n:>7} {len(latencies):>10,} {seconds:>8.2f} {len(latencies) / seconds:>12,.0f} "
            f"{statistics.median(latencies) * 1000:>7.1f} {p95:>7.1f}  {waits}")
    return told, problems


def contention(url: str, shared: list[int], clients: int) -> tuple[Counter[Told], list[str]]:
    say(f"\n2. Contention: {clients} clients race on {len(shared)} shared cases, each driving every case through "
        f"stages 1-3 in its own seeded order")
    work = [random.Random(k).sample(shared, len(shared)) for k in range(clients)]
    seconds, results, waits = run_round(url, work, True, "race")
    outcomes = Counter(what.split(":")[0] for attempts in results.values() for _, _, what, _ in attempts)
    say(f"  {sum(outcomes.values()):,} attempts in {seconds:.2f} s: " + ", ".join(
        f"{what} {count:,}" for what, count in sorted(outcomes.items())) + f"; clients waiting on a lock: {waits}")
    return landed(results), sorted({f"race: {what}" for attempts in results.values() for _, _, what, _ in attempts
                                    if what.startswith(("error", "refused"))})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("TUOPIN_TEST_POSTGRES_URL")
                        or os.environ.get("TUOPIN_DATABASE_URL"))
    parser.add_argument("--clients", default="1,2,4,8", help="the client counts of the throughput rounds")
    parser.add_argument("--decisions", type=int, default=1600, help="decisions per throughput round")
    parser.add_argument("--shared", type=int, default=40, help="cases the clients race on")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if not args.url:
        sys.exit("bench.load: give a PostgreSQL server URL, or run it under tools/with-postgres")
    rounds = [int(n) for n in args.clients.split(",")]
    with scratch_database(args.url, args.keep) as url:
        with session_scope(url) as session:
            version = session.execute(text("SELECT sqlite_version()" if url.startswith("sqlite")
                                           else "SHOW server_version")).scalar()
        say(f"tuopin load benchmark: {make_url(url).get_backend_name()} {version}, scratch database "
            f"{make_url(url).database} ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start)")
        ids = build(url, args.decisions * len(rounds) + args.shared, max(rounds))
        told, problems = throughput(url, ids, rounds, args.decisions)
        raced, errors = contention(url, ids[len(rounds) * args.decisions:], max(rounds))
        say("\n3. Verification: no lost or doubled decisions")
        problems += errors + verify(url, told + raced, ids)
        for problem in problems[:10]:
            say(f"  PROBLEM: {problem}")
        if args.keep:
            say(f"\n  database kept: {url}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
