"""The work behind the import wizard and the duplicates dialog, run on worker threads: each
opens its own session; only plain values (tables, plans, reports, DTOs) cross threads."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

from smartconf.core.progress import Progress
from smartconf.services.contact_import import (
    ImportPlan,
    ImportReport,
    execute_plan,
    plan_import,
)
from smartconf.services.duplicates import DuplicateGroup, find_duplicates, merge_persons
from smartconf.services.import_mapping import ColumnMapping
from smartconf.services.import_readers import SourceTable
from smartconf.services.overview import person_detail
from smartconf.services.planning import get_conference_by_id
from smartconf.store.database import Database, translate_errors
from smartconf.store.session import read_session, unit_of_work

Cancel = Callable[[], bool]


def check_rows(database: Database, table: SourceTable, mapping: ColumnMapping,
               conference_id: int | None, cancel: Cancel
               ) -> Generator[Progress, None, ImportPlan]:
    """``plan_import`` in a read-only session (nothing is written)."""
    with translate_errors(database.engine), read_session(database.sessions) as session:
        conference = get_conference_by_id(session, conference_id) \
            if conference_id is not None else None
        return (yield from plan_import(session, table, mapping, conference=conference,
                                       cancel=cancel))


def write_plan(database: Database, plan: ImportPlan, actor: str, dry_run: bool,
               cancel: Cancel) -> Generator[Progress, None, ImportReport]:
    """``execute_plan`` in its own transaction: committed only when the import wrote; a dry
    run or a cancel (ImportCancelled) leaves the database as it was."""
    with translate_errors(database.engine), unit_of_work(database.sessions, actor) as session:
        return (yield from execute_plan(session, plan, actor=actor, dry_run=dry_run,
                                        cancel=cancel))


@dataclass(frozen=True)
class MemberFacts:
    """What the duplicates dialog shows of one person besides the finder's details."""

    latin_name: str
    participations: int


@dataclass(frozen=True)
class FoundDuplicates:
    groups: list[DuplicateGroup]
    facts: dict[int, MemberFacts]


def look_for_duplicates(database: Database) -> FoundDuplicates:
    """Every duplicate group (likely first) and, for each member, Latin name and
    participations."""
    with translate_errors(database.engine), read_session(database.sessions) as session:
        groups = find_duplicates(session)
        facts = {}
        for member in (m for g in groups for m in g.members):
            detail = person_detail(session, member.person_id)
            facts[member.person_id] = MemberFacts(detail.latin_name,
                                                  len(detail.participations))
        return FoundDuplicates(groups, facts)


def merge(database: Database, actor: str, keep_id: int, merge_ids: list[int]) -> list:
    """``merge_persons`` of each of ``merge_ids`` into ``keep_id``, all in one transaction;
    returns the MergeResults."""
    with translate_errors(database.engine), unit_of_work(database.sessions, actor) as session:
        return [merge_persons(session, keep_id, i, actor=actor) for i in merge_ids]
