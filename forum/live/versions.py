"""Per-forum event versions, increasing with every change sent live, across processes.

Two streams: the staff's (every change) and the audience's (what delegates may see). A client
that sees its stream skip a number knows it missed something and asks for a snapshot.
"""

from sqlalchemy import select, update

from forum.extensions import db
from forum.forums.models import Forum


def next_version(forum_id: int) -> int:
    """Take the staff stream's next version inside the current transaction."""
    return db.session.execute(
        update(Forum)
        .where(Forum.id == forum_id)
        .values(live_version=Forum.live_version + 1)
        .returning(Forum.live_version)
    ).scalar_one()


def next_public_version(forum_id: int) -> int:
    """Take the audience stream's next version inside the current transaction."""
    return db.session.execute(
        update(Forum)
        .where(Forum.id == forum_id)
        .values(public_version=Forum.public_version + 1)
        .returning(Forum.public_version)
    ).scalar_one()


def current_version(forum_id: int, *, public: bool = False) -> int:
    """The latest version of a stream."""
    column = Forum.public_version if public else Forum.live_version
    return db.session.scalar(select(column).where(Forum.id == forum_id)) or 0
