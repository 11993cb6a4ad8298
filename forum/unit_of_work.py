"""One unit of work per request, Socket.IO event, background send and job step.

Services change the models and flush; they never commit. What may happen only once their change
is kept (a live event, a job handed to the workers, a board told to refresh) they queue with
``after_commit``: the session's after-commit hook runs it, and a rollback drops it, so no
client ever hears of a change that was not kept. The boundary commits once:

- a request: ``ForumFlask.dispatch_request`` commits when the view answers below 400, and
  leaves everything else (an error, a refusal, a form shown again with its errors) to be rolled
  back when the session is removed;
- a background send or a Socket.IO handler: ``unit_of_work``; a step of a job: ``transaction``.

A request that must wait for something outside (a job's result) ends its unit of work first,
with ``commit_before_waiting``: no transaction stays open across a wait. One write commits
before the boundary: the check-in's single ``INSERT … ON CONFLICT`` on PostgreSQL, which runs
in autocommit (``forum.checkin.door``); what waited for the commit is still sent at the end.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from forum.database import use_read_only_transactions, use_write_transactions
from forum.extensions import db

logger = logging.getLogger(__name__)

PENDING = 'forum_after_commit'


def after_commit(callback: Callable, *args, **kwargs) -> None:
    """Run ``callback(*args, **kwargs)`` once the current transaction is committed; never if it
    is rolled back (or the savepoint it was queued in is). It must not use the session."""
    session = db.session()
    # Begun if need be (no connection is taken yet), so that a rollback has something to end.
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(PENDING, []).append((transaction, partial(callback, *args, **kwargs)))


def refused() -> None:
    """A page that shows a refusal itself (a message above the page it redirects to) calls this
    so that the request's changes are rolled back, as the one handler would roll them back."""
    g.unit_of_work_refused = True


def commit_before_waiting() -> None:
    """End the request's unit of work before it waits for something outside (a job)."""
    db.session.commit()


@contextmanager
def unit_of_work(*, writes: bool = True) -> Iterator[None]:
    """The block's changes, committed once when it ends, rolled back on an error; the session
    closed after (for work outside a request: a background send, a Socket.IO handler)."""
    if writes:
        use_write_transactions()
    else:
        use_read_only_transactions()
    try:
        with transaction():
            yield
    finally:
        db.session.remove()


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block did, or roll it back on an error (a step of a longer piece of
    work that keeps its session: a job)."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


class ForumFlask(Flask):
    """Flask whose requests are each one unit of work, committed at the boundary."""

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        if response.status_code < 400 and not g.pop('unit_of_work_refused', False):
            db.session.commit()
        else:
            db.session.rollback()
        return response


def _ancestry(transaction: SessionTransaction | None) -> Iterator[SessionTransaction]:
    while transaction is not None:
        yield transaction
        transaction = transaction.parent


@event.listens_for(Session, 'after_commit')
def _run_pending(session: Session) -> None:
    for _transaction, callback in session.info.pop(PENDING, []):
        try:
            callback()
        except Exception:  # the change is kept; one lost message must not turn it into an error
            logger.exception('After-commit callback %r failed', callback)


@event.listens_for(Session, 'after_soft_rollback')
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(PENDING)
    if not pending:
        return
    if not previous_transaction.nested:
        session.info.pop(PENDING, None)
        return
    session.info[PENDING] = [
        (transaction, callback)
        for transaction, callback in pending
        if previous_transaction not in _ancestry(transaction)
    ]


@event.listens_for(Session, 'after_transaction_end')
def _drop_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and not transaction.nested:
        session.info.pop(PENDING, None)  # after a commit nothing is left; after a close, all
