"""The live queue on ``/live``: ``question`` events for staff, audience and sender; snapshots.

The desk and the secretariat see every item in full. Operators see the queue as the audience
does (in the staff's stream, with the same versions) and their own points' items in full
(outside the stream, marked ``own_point``). The audience sees approved, current and answered
items, with the sender's name only when the forum shows names; an item that leaves the public
queue is sent to them as ``{"id", "visible": false}``. A sender sees their own pending items;
a dismissed one stays "pending" for them (dismissal is silent). Votes are coalesced: a burst
of votes becomes one update per item and second.
"""

from dataclasses import dataclass

from forum.db_types import utcnow
from forum.extensions import db
from forum.forums.models import Forum
from forum.live.coalesce import coalescer
from forum.live.namespace import Viewer, add_snapshot_part
from forum.live.publish import publish
from forum.live.rooms import (
    delegate_room,
    desk_room,
    floor_room,
    forum_room,
    point_staff_room,
)
from forum.live.versions import current_version, next_public_version, next_version
from forum.qa.models import Question, QuestionStatus
from forum.qa.queries import delegate_questions, forum_questions, vote_counts
from forum.unit_of_work import after_commit, unit_of_work

VOTE_INTERVAL = 1.0


def _iso(value):
    return value.isoformat() if value else None


def public_view(question: Question, votes: int, *, show_names: bool) -> dict:
    """An item as the audience and the big screens see it."""
    venue = question.venue
    view = {
        'id': question.id,
        'visible': True,
        'text': question.text,
        'kind': question.kind.value,
        'mode': question.mode.value,
        'status': question.status.value,
        'position': question.position,
        'venue': {'id': venue.id, 'name': venue.name, 'tier': venue.tier.value},
        'author': None,
        'votes': votes,
        'answered_by': question.answered_by,
        'response': question.response,
        'answered_at': _iso(question.answered_at),
        'created_at': _iso(question.created_at),
    }
    if show_names:
        view['author'] = {
            'name': question.author_name,
            'position': question.author_position,
            'body': question.author_body,
        }
    return view


def staff_view(question: Question, votes: int) -> dict:
    """An item as moderators and operators see it: everything."""
    view = public_view(question, votes, show_names=True)
    view.update(
        visible=question.status.is_public,
        delegate_id=question.delegate_id,
        on_behalf=question.submitted_by_id is not None,
        original_text=question.original_text,
        held_for_review=question.held_for_review,
        merged_into_id=question.merged_into_id,
        updated_at=_iso(question.updated_at),
    )
    return view


def floor_view(question: Question, votes: int, *, show_names: bool) -> dict:
    """An item as operators see it when it is not of their points: as the audience does."""
    if not question.status.is_public:
        return {'id': question.id, 'visible': False}
    return public_view(question, votes, show_names=show_names)


def own_point_view(question: Question, votes: int) -> dict:
    """An item of the operator's own point: in full, outside the stream."""
    return {**staff_view(question, votes), 'own_point': True}


def author_view(question: Question) -> dict:
    """A sender's own item: a dismissal is not shown to them."""
    status = (
        QuestionStatus.PENDING if question.status == QuestionStatus.DISMISSED else (question.status)
    )
    return {
        'id': question.id,
        'text': question.text,
        'kind': question.kind.value,
        'mode': question.mode.value,
        'status': status.value,
        'mine': True,
        'created_at': _iso(question.created_at),
    }


@dataclass
class PreparedEvent:
    room: str
    payload: dict
    version: int


def announce_questions(items: list[tuple[Question, bool]]) -> list[dict]:
    """Queue the events of changed items (each with whether the audience saw it before), sent
    once the change is committed; the staff's view of each item, in order."""
    events = prepare_question_events(items)
    after_commit(send_events, events)
    desk = desk_room(items[0][0].forum_id) if items else None
    return [event.payload for event in events if event.room == desk]


def prepare_question_events(items: list[tuple[Question, bool]]) -> list[PreparedEvent]:
    """Events for items (each with whether the audience saw it before), their versions taken
    in the current transaction."""
    if not items:
        return []
    forum = db.session.get(Forum, items[0][0].forum_id)
    counts = vote_counts(q.id for q, _was in items)
    events = []
    show_names = forum.questions_show_names
    for question, was_public in items:
        votes = counts.get(question.id, 0)
        version = next_version(forum.id)
        events += [
            PreparedEvent(desk_room(forum.id), staff_view(question, votes), version),
            PreparedEvent(
                floor_room(forum.id), floor_view(question, votes, show_names=show_names), version
            ),
            PreparedEvent(
                point_staff_room(question.venue_id), own_point_view(question, votes), version
            ),
        ]
        if question.status.is_public:
            payload = public_view(question, votes, show_names=forum.questions_show_names)
            events.append(
                PreparedEvent(forum_room(forum.id), payload, next_public_version(forum.id))
            )
        elif was_public:
            events.append(
                PreparedEvent(
                    forum_room(forum.id),
                    {'id': question.id, 'visible': False},
                    next_public_version(forum.id),
                )
            )
        elif question.delegate_id is not None and question.status != QuestionStatus.DISMISSED:
            # A dismissal is silent: the sender's view of the item does not change.
            events.append(
                PreparedEvent(
                    delegate_room(question.delegate_id),
                    author_view(question),
                    current_version(forum.id, public=True),
                )
            )
    return events


def send_events(events: list[PreparedEvent]) -> None:
    """Send prepared events (once their change is committed)."""
    for event in events:
        publish('question', event.payload, room=event.room, version=event.version)


def send_vote_update(question_id: int) -> None:
    """Send an item's new vote count (coalesced)."""
    with unit_of_work():
        question = db.session.get(Question, question_id)
        if question is not None:
            announce_questions([(question, question.status.is_public)])


def votes_changed(question_id: int) -> None:
    """A vote was committed: the item's count is sent with the next coalesced update."""
    coalescer('votes', send_vote_update, VOTE_INTERVAL).mark_changed(question_id)


def queue_for_operator(questions, counts, *, venue_ids, show_names: bool) -> list[dict]:
    """The queue an operator sees: their points' items in full, the others' public ones as
    the audience sees them."""
    items = []
    for question in questions:
        votes = counts.get(question.id, 0)
        if question.venue_id in venue_ids:
            items.append(own_point_view(question, votes))
        elif question.status.is_public:
            items.append(public_view(question, votes, show_names=show_names))
    return items


def _queue_snapshot(forum: Forum, viewer: Viewer) -> dict:
    if viewer.is_staff:
        questions = forum_questions(forum.id, public_only=False)
        counts = vote_counts(q.id for q in questions)
        if viewer.sees_every_point:
            items = [staff_view(q, counts.get(q.id, 0)) for q in questions]
        else:
            items = queue_for_operator(
                questions,
                counts,
                venue_ids=viewer.venue_ids,
                show_names=forum.questions_show_names,
            )
        return {'questions': items, 'show_names': forum.questions_show_names}
    questions = forum_questions(forum.id, public_only=True)
    counts = vote_counts(q.id for q in questions)
    from forum.delegates.models import Delegate

    delegate = db.session.get(Delegate, viewer.delegate_id)
    return {
        'questions': [
            public_view(q, counts.get(q.id, 0), show_names=forum.questions_show_names)
            for q in questions
        ],
        'my_questions': [author_view(q) for q in delegate_questions(delegate)],
        'show_names': forum.questions_show_names,
        'server_time': _iso(utcnow()),
    }


def register_live_parts() -> None:
    """Add the queue to the live channel's snapshot."""
    add_snapshot_part(_queue_snapshot)
