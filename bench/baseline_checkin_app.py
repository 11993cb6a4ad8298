"""The baseline for ``bench/checkin.py``: the check-in endpoint anyone would write first.

Flask, Flask-SQLAlchemy and Flask-SocketIO with their defaults, on the forum's own tables (so the
same database, prepared the same way): ``POST /api/v1/forums/<id>/checkins`` with ``{"code",
"venue_id", "nonce"}`` reads the delegate by code with the ORM, adds the check-in with the ORM
and commits, counts the forum's check-ins and emits the count to the forum's room. No
authentication, no rules beyond "unknown code", no audit, no boards. Served exactly as the forum
is (``gunicorn -k gevent -w 1 --worker-connections 10000``), from the project root, with
``DATABASE_URL`` set:

    DATABASE_URL=sqlite:///… gunicorn -k gevent -w 1 'bench.baseline_checkin_app:app'
"""

import os
from datetime import UTC, datetime

from flask import Flask, request
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Boolean, DateTime, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = os.environ['DATABASE_URL']
db = SQLAlchemy(app)
socketio = SocketIO(app)


class Delegate(db.Model):
    __tablename__ = 'delegates'
    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int]
    venue_id: Mapped[int]
    code: Mapped[str] = mapped_column(String(64))


class CheckIn(db.Model):
    __tablename__ = 'checkins'
    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int]
    delegate_id: Mapped[int] = mapped_column(ForeignKey('delegates.id'))
    venue_id: Mapped[int]
    checked_in_at: Mapped[datetime] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(16), default='api')
    nonce: Mapped[str | None] = mapped_column(String(64))
    other_venue: Mapped[bool] = mapped_column(Boolean, default=False)
    undo_reason: Mapped[str] = mapped_column(default='')
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


@app.get('/api/v1/forums')
def forums():
    return {'items': []}


@app.post('/api/v1/forums/<int:forum_id>/checkins')
def check_in(forum_id):
    data = request.get_json()
    delegate = db.session.scalar(
        select(Delegate).where(Delegate.code == data['code'], Delegate.forum_id == forum_id)
    )
    if delegate is None:
        return {'error': 'unknown code'}, 404
    checkin = CheckIn(
        forum_id=forum_id,
        delegate_id=delegate.id,
        venue_id=data['venue_id'],
        checked_in_at=datetime.now(UTC).replace(tzinfo=None),
        nonce=data.get('nonce'),
    )
    db.session.add(checkin)
    db.session.commit()
    count = db.session.scalar(
        select(func.count(CheckIn.id)).where(
            CheckIn.forum_id == forum_id, CheckIn.undone_at.is_(None)
        )
    )
    socketio.emit('attendance', {'checked_in': count}, namespace='/live', to=f'forum-{forum_id}')
    return {'status': 'checked_in', 'checkin': {'id': checkin.id}, 'checked_in': count}, 201
