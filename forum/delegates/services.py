"""Delegate lists: finding delegates, importing lists with a preview, exporting them."""

import enum
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, insert, select
from sqlalchemy.orm import selectinload

from forum.audit.services import record_change
from forum.delegates.cleaning import ROLE_NAMES, VenueRef, clean_email, clean_phone
from forum.delegates.exporting import to_csv, to_xlsx
from forum.delegates.importing import (
    DelegateRow,
    ImportProblem,
    ListColumn,
    ParsedList,
    parse_delegate_list,
)
from forum.delegates.models import Delegate, DelegateRole
from forum.extensions import db
from forum.forums.models import Forum
from forum.text import matching_key, name_sort_key, normalize_text, search_key
from forum.tiers.models import Venue

logger = logging.getLogger(__name__)


def _escape_like(text: str) -> str:
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def delegates_query(
    forum_id: int,
    *,
    venue_ids: set[int] | None = None,
    venue_id: int | None = None,
    name_query: str | None = None,
) -> Select:
    """Delegates of a forum in Vietnamese name order, optionally of some bridge points only.

    ``venue_ids`` limits to the points the caller may see (None: all); ``name_query`` matches
    any part of the name, with or without accents.
    """
    query = (
        select(Delegate)
        .where(Delegate.forum_id == forum_id)
        .options(selectinload(Delegate.venue))
        .order_by(Delegate.sort_key, Delegate.id)
    )
    if venue_ids is not None:
        query = query.where(Delegate.venue_id.in_(venue_ids))
    if venue_id is not None:
        query = query.where(Delegate.venue_id == venue_id)
    if name_query and (folded := search_key(name_query)):
        query = query.where(Delegate.search_name.like(f'%{_escape_like(folded)}%', escape='\\'))
    return query


# Import ---------------------------------------------------------------------------------------


class ImportAction(enum.StrEnum):
    CREATE = 'create'
    UPDATE = 'update'
    UNCHANGED = 'unchanged'


@dataclass
class RowOutcome:
    """What an import does with one row; ``changes`` maps a column to (stored, new) for updates."""

    row: int
    action: ImportAction
    full_name: str
    venue_name: str
    values: dict[ListColumn, object]
    changes: dict[ListColumn, tuple[object, object]] = field(default_factory=dict)


@dataclass
class ImportResult:
    """The outcome of an import or its preview: what each row does, and every problem."""

    filename: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    column_names: dict[ListColumn, str] = field(default_factory=dict)
    columns_found: list[str] = field(default_factory=list)  # as headed in the file

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: ImportAction) -> int:
        """How many rows this action applies to."""
        return sum(1 for outcome in self.rows if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count(ImportAction.CREATE)

    @property
    def updated(self) -> int:
        return self.count(ImportAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(ImportAction.UNCHANGED)

    def summary(self) -> dict:
        """The counts and the problems, as the API returns them."""
        return {
            'created': self.created,
            'updated': self.updated,
            'unchanged': self.unchanged,
            'errors': [problem.as_dict() for problem in self.errors],
        }


def import_delegates(
    forum: Forum, file_bytes: bytes, filename: str, *, dry_run: bool, user=None
) -> ImportResult:
    """Check a delegate list and, unless ``dry_run`` or anything is wrong, add and update delegates.

    All or nothing: with any problem nothing is written. A row whose person (name key and
    bridge point) is already on the list updates them; a blank cell keeps the stored value.
    The caller commits. (A job does the same in three steps: ``venue_refs`` in a short read,
    ``parse_delegate_list`` with no transaction open, ``apply_delegate_list`` in a short write.)
    """
    parsed = parse_delegate_list(file_bytes, filename, venue_refs(forum.id))
    return apply_delegate_list(forum, parsed, filename, dry_run=dry_run, user=user)


def venue_refs(forum_id: int) -> list[VenueRef]:
    """The forum's bridge points, as a list names them (for parsing a list)."""
    return [
        VenueRef(*row)
        for row in db.session.execute(
            select(Venue.id, Venue.unit_code, Venue.name).where(Venue.forum_id == forum_id)
        )
    ]


def apply_delegate_list(
    forum: Forum, parsed: ParsedList, filename: str, *, dry_run: bool, user=None
) -> ImportResult:
    """Match a parsed list with the delegates on file and, unless ``dry_run`` or anything is
    wrong, write it (all or nothing; the caller commits)."""
    result = ImportResult(filename=filename, dry_run=dry_run, errors=list(parsed.problems))
    result.column_names = {column: parsed.column_name(column) for column in ListColumn}
    if parsed.header:
        result.columns_found = list(parsed.header.names.values())
    existing: dict[tuple[str, int], list[Delegate]] = defaultdict(list)
    for delegate in db.session.scalars(select(Delegate).where(Delegate.forum_id == forum.id)):
        existing[(delegate.name_key, delegate.venue_id)].append(delegate)
    targets: dict[int, Delegate] = {}
    for row in parsed.rows:
        matches = existing.get(row.identity, [])
        if len(matches) > 1:
            result.errors.append(
                ImportProblem(
                    row.row,
                    parsed.column_name(ListColumn.FULL_NAME),
                    _(
                        'Danh sách hiện có %(count)d đại biểu "%(name)s" ở điểm cầu này; '
                        'không rõ cập nhật người nào.',
                        count=len(matches),
                        name=row.full_name,
                    ),
                )
            )
            continue
        result.rows.append(_outcome(row, matches[0] if matches else None))
        if matches:
            targets[row.row] = matches[0]
    result.errors.sort(key=lambda problem: problem.row or 0)
    if result.ok and not dry_run:
        _write(forum, parsed.rows, result, targets, user=user)
    return result


def _outcome(row: DelegateRow, delegate: Delegate | None) -> RowOutcome:
    outcome = RowOutcome(
        row=row.row,
        action=ImportAction.CREATE,
        full_name=row.full_name,
        venue_name=row.venue.name,
        values=row.values,
    )
    if delegate is None:
        return outcome
    if delegate.full_name != row.full_name:
        outcome.changes[ListColumn.FULL_NAME] = (delegate.full_name, row.full_name)
    for column, new in row.values.items():
        stored = getattr(delegate, column.value)
        if _canonical(column, stored) != new:
            outcome.changes[column] = (stored, new)
    outcome.action = ImportAction.UPDATE if outcome.changes else ImportAction.UNCHANGED
    return outcome


def _canonical(column: ListColumn, stored):
    """A stored value as an import would write it, so that "0912 345 678" equals 0912345678."""
    cleaners = {ListColumn.PHONE: clean_phone, ListColumn.EMAIL: clean_email}
    if column in cleaners and stored:
        try:
            return cleaners[column](stored)
        except ValueError:
            return stored
    return normalize_text(stored) if isinstance(stored, str) else stored


def _write(forum, rows: list[DelegateRow], result: ImportResult, targets, *, user) -> None:
    """Insert the new delegates in one statement and apply the updates; flush, audit."""
    actions = {outcome.row: outcome for outcome in result.rows}
    new_rows = []
    for row in rows:
        outcome = actions[row.row]
        if outcome.action == ImportAction.CREATE:
            new_rows.append(_new_delegate_values(forum.id, row))
        elif outcome.action == ImportAction.UPDATE:
            delegate = targets[row.row]
            for column, (_stored, new) in outcome.changes.items():
                setattr(delegate, column.value, new)
    if new_rows:
        db.session.execute(insert(Delegate), new_rows)
    db.session.flush()
    record_change(
        'delegates.imported',
        forum,
        user=user,
        forum_id=forum.id,
        details={
            'filename': result.filename,
            'created': result.created,
            'updated': result.updated,
            'unchanged': result.unchanged,
        },
    )
    logger.info(
        'Forum %s: delegate list %r imported: %d created, %d updated, %d unchanged',
        forum.id,
        result.filename,
        result.created,
        result.updated,
        result.unchanged,
    )


def name_columns(full_name: str) -> dict[str, str]:
    """The name and the keys derived from it, as ``Delegate``'s validator sets them."""
    name = normalize_text(full_name)
    return {
        'full_name': name,
        'name_key': matching_key(name),
        'search_name': search_key(name),
        'sort_key': name_sort_key(name),
    }


def _new_delegate_values(forum_id: int, row: DelegateRow) -> dict:
    # Codes, timestamps and the RSVP take the model's column defaults, evaluated per row.
    values = {
        'forum_id': forum_id,
        'venue_id': row.venue.id,
        **name_columns(row.full_name),
        'position': '',
        'body': '',
        'email': '',
        'phone': '',
        'role': DelegateRole.DELEGATE,
    }
    values.update({column.value: value for column, value in row.values.items()})
    return values


# Export ---------------------------------------------------------------------------------------


def delegate_export_rows(forum: Forum, *, venue_id: int | None = None) -> list[list[str]]:
    """The forum's delegates (of one bridge point, if given) in Vietnamese name order."""
    delegates = db.session.scalars(delegates_query(forum.id, venue_id=venue_id))
    return [
        [
            delegate.full_name,
            delegate.position,
            delegate.body,
            delegate.venue.name,
            delegate.venue.unit_code,
            delegate.email,
            delegate.phone,
            ROLE_NAMES[delegate.role],
        ]
        for delegate in delegates
    ]


def export_delegates(forum: Forum, file_format: str, *, venue_id: int | None = None) -> bytes:
    """The delegate list as ``xlsx`` or ``csv`` bytes, ready to re-import."""
    return delegate_list_file(delegate_export_rows(forum, venue_id=venue_id), file_format)


def delegate_list_file(rows: list[list[str]], file_format: str) -> bytes:
    """Export rows as ``xlsx`` or ``csv`` bytes."""
    if file_format == 'xlsx':
        return to_xlsx(rows)
    if file_format == 'csv':
        return to_csv(rows)
    raise ValueError(f'Unknown export format {file_format!r}')
