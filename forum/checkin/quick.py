"""The usual scan, lean: SQL written once, no ORM objects, no session.

``POST …/checkins`` is the request that arrives by the thousand within minutes, and nearly
every one is the usual scan: a staff member's valid token, a live invitation code of this forum,
the delegate's own bridge point (or a confirmed other one), the first check-in. ``quick_check_in``
reads everything that decides it in one statement (the caller, the forum, the bridge point,
whether the caller operates it, the delegate and their point) together with ``usual``: whether
the rules below let it through. If they do, it inserts the check-in with ``INSERT … ON CONFLICT
DO NOTHING`` and builds the answer from the rows. On SQLite that is two statements in one
``BEGIN IMMEDIATE`` transaction; on PostgreSQL one statement (the insert is a data-modifying
``WITH`` on the read), which saves a round trip to the server and the time a connection is held.

Whenever anything differs from the usual scan (an unknown, revoked or short code, a delegate of
another point without the confirmation, a refused caller, a closed forum, a repeat, a replayed
nonce, a lost race), nothing has been written and it returns None: the ORM path of the view then
decides and answers exactly as it always has.

``usual`` is the conjunction of the rules of ``forum.api.access.forum_for_staff``,
``can_view_forum``, ``can_check_in_at`` and ``check_in_delegate`` for this case: the account is
enabled and the token's version is current; admins and organisers check in anywhere, anyone else
only at a point they operate (which also lets them see its forum); the point and the delegate
belong to the forum; the forum takes check-ins; the delegate is at their own point, or the other
one was confirmed. ``tests/checkin/test_quick.py`` compares its answers and rows with the ORM
path's for the usual scan and checks that it steps aside for every other case; the rest of
``tests/checkin`` goes through whichever path the request takes.
"""

from datetime import datetime
from functools import cache

from sqlalchemy import Boolean, bindparam, column, text

from forum.auth.models import User, UserRole
from forum.checkin.models import CheckIn, CheckInMethod
from forum.checkin.services import (
    CHECKIN_STATUSES,
    insert_checkin_sql,
    is_invitation_code,
    log_check_in,
    scanned_code,
)
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.tiers.models import Venue

# They check people in at every bridge point (``User.is_organiser``).
CHECK_IN_ANYWHERE = (UserRole.ADMIN, UserRole.ORGANISER)


def _sql_list(values) -> str:
    return ', '.join(f"'{value.value}'" for value in sorted(values))


_SCAN_SQL = f"""
SELECT users.role, users.is_enabled, users.full_name AS user_name, users.email AS user_email,
       point.forum_id AS point_forum_id, point.name AS point_name,
       delegates.id AS delegate_id, delegates.venue_id AS delegate_venue_id,
       delegates.full_name AS delegate_name, delegates.position, delegates.body,
       delegates.walk_in, home.name AS home_name,
       (users.is_enabled AND users.token_version = :token_version
        AND (users.role IN ({_sql_list(CHECK_IN_ANYWHERE)})
             OR EXISTS (SELECT 1 FROM venue_operators
                        WHERE venue_operators.user_id = users.id
                          AND venue_operators.venue_id = point.id))
        AND point.forum_id = forums.id
        AND forums.status IN ({_sql_list(CHECKIN_STATUSES)})
        AND delegates.forum_id = forums.id
        AND (:confirm_other_venue OR delegates.venue_id = point.id)) AS usual
FROM users
JOIN forums ON forums.id = :forum_id
JOIN venues AS point ON point.id = :venue_id
JOIN delegates ON delegates.code = :code
JOIN venues AS home ON home.id = delegates.venue_id
WHERE users.id = :user_id
"""

_INSERT_FROM_SCAN_SQL = """
INSERT INTO checkins (forum_id, delegate_id, venue_id, checked_in_at, by_user_id, method, nonce,
                      other_venue, undo_reason)
SELECT :forum_id, scan.delegate_id, :venue_id, :checked_in_at, :user_id, :method, :nonce,
       scan.delegate_venue_id <> :venue_id, ''
FROM scan
WHERE scan.usual
ON CONFLICT DO NOTHING
RETURNING checkins.id, checkins.checked_in_at, checkins.other_venue, checkins.method
"""


def _scan_columns() -> list:
    return [
        column('role', User.role.type),
        column('is_enabled', User.is_enabled.type),
        column('user_name', User.full_name.type),
        column('user_email', User.email.type),
        column('point_forum_id', Venue.forum_id.type),
        column('point_name', Venue.name.type),
        column('delegate_id', Delegate.id.type),
        column('delegate_venue_id', Delegate.venue_id.type),
        column('delegate_name', Delegate.full_name.type),
        column('position', Delegate.position.type),
        column('body', Delegate.body.type),
        column('walk_in', Delegate.walk_in.type),
        column('home_name', Venue.name.type),
        column('usual', CheckIn.other_venue.type),
    ]


@cache
def _scan_statement():
    """The read (SQLite): one row, or none when the caller, forum, point or code is unknown."""
    return (
        text(_SCAN_SQL)
        .bindparams(bindparam('confirm_other_venue', type_=Boolean()))
        .columns(*_scan_columns())
    )


@cache
def _scan_and_insert_statement():
    """Read and insert in one statement (PostgreSQL); the check-in's columns are NULL when
    nothing was inserted (not the usual scan, or a conflict)."""
    sql = (
        f'WITH scan AS ({_SCAN_SQL}), inserted AS ({_INSERT_FROM_SCAN_SQL}) '
        'SELECT scan.*, inserted.id, inserted.checked_in_at, inserted.other_venue, '
        'inserted.method FROM scan LEFT JOIN inserted ON true'
    )
    table = CheckIn.__table__
    return (
        text(sql)
        .bindparams(
            bindparam('confirm_other_venue', type_=Boolean()),
            bindparam('checked_in_at', type_=table.c.checked_in_at.type),
            bindparam('method', type_=table.c.method.type),
        )
        .columns(
            *_scan_columns(),
            table.c.id,
            table.c.checked_in_at,
            table.c.other_venue,
            table.c.method,
        )
    )


def quick_check_in(
    forum_id: int,
    claims: tuple[int, object],
    data: dict,
    now: datetime,
) -> dict | None:
    """Check in the usual scan, commit, and return the API's answer (201); or None, having
    written nothing (SQLite's write lock is released before the ORM path takes it again).

    ``claims`` are the user id and token version of the caller's bearer token
    (``api_token_claims``), ``data`` the parsed request with a ``code``.
    """
    code = scanned_code(data['code'])
    user_id, token_version = claims
    if not is_invitation_code(code) or type(token_version) is not int:
        return None
    params = {
        'user_id': user_id,
        'token_version': token_version,
        'forum_id': forum_id,
        'venue_id': data['venue_id'],
        'code': code,
        'confirm_other_venue': data['confirm_other_venue'],
        'checked_in_at': now,
        'method': data.get('method') or CheckInMethod.API,
        'nonce': data.get('nonce'),
    }
    with db.engine.connect() as connection:
        if connection.dialect.name == 'sqlite':
            with connection.begin():  # IMMEDIATE: the write lock before the read
                row, checkin = _read_then_insert(connection, params)
        else:
            # PostgreSQL, in autocommit: one statement is its own transaction, and reads what
            # was committed before it began, as in the read-committed transaction of the ORM.
            connection = connection.execution_options(isolation_level='AUTOCOMMIT')
            row = connection.execute(_scan_and_insert_statement(), params).first()
            checkin = row if row is not None and row.id is not None else None
    if checkin is None:
        return None
    log_check_in(row.delegate_id, params['venue_id'], user_id, checkin.other_venue)
    return {
        'status': 'checked_in',
        'delegate': {
            'id': row.delegate_id,
            'full_name': row.delegate_name,
            'position': row.position,
            'body': row.body,
            'venue_id': row.delegate_venue_id,
            'venue': row.home_name,
            'walk_in': row.walk_in,
        },
        'checkin': {
            'id': checkin.id,
            'delegate_id': row.delegate_id,
            'venue_id': params['venue_id'],
            'venue': row.point_name,
            'checked_in_at': checkin.checked_in_at.isoformat(),
            'by': row.user_name or row.user_email,
            'other_venue': checkin.other_venue,
            'method': checkin.method.value,
        },
    }


def _read_then_insert(connection, params: dict):
    """SQLite: the read, then (for the usual scan) the insert; the inserted row or None."""
    row = connection.execute(_scan_statement(), params).first()
    if row is None or not row.usual:
        return row, None
    inserted = connection.execute(
        insert_checkin_sql(),
        {
            'forum_id': params['forum_id'],
            'delegate_id': row.delegate_id,
            'venue_id': params['venue_id'],
            'checked_in_at': params['checked_in_at'],
            'by_user_id': params['user_id'],
            'method': params['method'],
            'nonce': params['nonce'],
            'other_venue': row.delegate_venue_id != params['venue_id'],
            'undo_reason': '',
        },
    ).first()
    return row, inserted
