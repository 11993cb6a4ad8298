"""Socket.IO namespace ``/jobs``: organisers' pages follow their e-mail batches live."""

from flask_login import current_user
from flask_socketio import Namespace, join_room
from sqlalchemy import select

from forum.auth.permissions import can_view_forum
from forum.extensions import db
from forum.forums.models import Forum
from forum.invitations.jobs import progress_room


class MailProgressNamespace(Namespace):
    """Signed-in organisers join the room of one forum's e-mail progress."""

    def on_connect(self, auth=None):
        forum_id = (auth or {}).get('forum_id') if isinstance(auth, dict) else None
        if not current_user.is_authenticated or not current_user.is_organiser:
            return False
        if not isinstance(forum_id, int):
            return False
        forum = db.session.scalar(select(Forum).where(Forum.id == forum_id))
        if forum is None or not can_view_forum(current_user, forum):
            return False
        join_room(progress_room(forum_id))
        return True
