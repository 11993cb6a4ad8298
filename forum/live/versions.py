"""Per-forum event versions: they increase with every change sent live, across processes."""

from sqlalchemy import select, update

from forum.extensions import db
from forum.forums.models import Forum


def next_version(forum_id: int) -> int:
    """Take the forum's next version inside the current transaction (commit it with the change)."""
    return db.session.execute(
        update(Forum)
        .where(Forum.id == forum_id)
        .values(live_version=Forum.live_version + 1)
        .returning(Forum.live_version)
    ).scalar_one()


def current_version(forum_id: int) -> int:
    """The forum's latest version."""
    return db.session.scalar(select(Forum.live_version).where(Forum.id == forum_id)) or 0
