"""The live queue's rules: sending, moderating, ordering, merging, voting.

Services change the models and flush, and queue the live events of the change
(``forum.qa.live``); the boundary commits once and only then are they sent, so no client
ever sees a change that was rolled back.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record_change
from forum.delegates.models import Delegate
from forum.errors import DomainError
from forum.extensions import db
from forum.forums.models import ForumStatus
from forum.live.versions import next_version
from forum.qa.live import announce_questions, votes_changed
from forum.qa.models import Question, QuestionKind, QuestionMode, QuestionStatus, Vote
from forum.qa.profanity import find_profanity
from forum.qa.queries import approved_queue, forum_questions
from forum.text import normalize_text
from forum.unit_of_work import after_commit

logger = logging.getLogger(__name__)

OPEN_STATUSES = frozenset({ForumStatus.DRAFT, ForumStatus.INVITING, ForumStatus.LIVE})
MIN_LENGTH = 3
MODERATION_MOVES = {
    QuestionStatus.PENDING: {QuestionStatus.APPROVED, QuestionStatus.DISMISSED},
    QuestionStatus.APPROVED: {
        QuestionStatus.CURRENT,
        QuestionStatus.ANSWERED,
        QuestionStatus.DISMISSED,
        QuestionStatus.PENDING,
    },
    QuestionStatus.CURRENT: {
        QuestionStatus.ANSWERED,
        QuestionStatus.APPROVED,
        QuestionStatus.DISMISSED,
    },
    # The archive: a mistake is undone by bringing the item back.
    QuestionStatus.ANSWERED: {QuestionStatus.APPROVED, QuestionStatus.CURRENT},
    QuestionStatus.DISMISSED: {QuestionStatus.PENDING, QuestionStatus.APPROVED},
}


class QuestionError(DomainError):
    """A request about the queue that cannot be carried out, with a message for the user."""


def _announced(question: Question, was_public: bool, also_changed) -> dict:
    """Queue the events of a moderation (the item, and the items it moved) for the commit;
    the item as the staff now see it (what the API answers)."""
    views = announce_questions([(question, was_public), *((other, True) for other in also_changed)])
    return views[0]


def _limits() -> tuple[int, int, int]:
    config = current_app.config
    return (
        config['QUESTION_MAX_LENGTH'],
        config['QUESTION_RATE_LIMIT'],
        config['QUESTION_RATE_WINDOW_SECONDS'],
    )


def _check_text(text: str) -> str:
    text = (
        normalize_text(text)
        if '\n' not in text
        else '\n'.join(normalize_text(line) for line in text.split('\n')).strip()
    )
    max_length, _rate, _window = _limits()
    if len(text) < MIN_LENGTH:
        raise QuestionError('too_short', _('Nội dung quá ngắn.'))
    if len(text) > max_length:
        raise QuestionError('too_long', _('Nội dung dài quá %(max)d ký tự.', max=max_length))
    return text


def _check_rate(delegate: Delegate | None, now: datetime) -> None:
    if delegate is None:
        return
    _max_length, rate, window = _limits()
    recent = db.session.scalar(
        select(func.count(Question.id)).where(
            Question.delegate_id == delegate.id,
            Question.created_at >= now - timedelta(seconds=window),
        )
    )
    if recent >= rate:
        raise QuestionError(
            'rate_limited',
            _('Quý đại biểu gửi quá nhanh; xin chờ một chút rồi gửi tiếp.'),
            status=429,
        )


def submit_question(
    forum,
    *,
    text: str,
    kind: QuestionKind,
    mode: QuestionMode,
    now: datetime,
    delegate: Delegate | None = None,
    venue=None,
    user=None,
    author_name: str = '',
    author_position: str = '',
    author_body: str = '',
) -> Question:
    """A delegate sends an item from their phone, or an operator registers one for a person in
    their room. It waits for a moderator; one with a listed word is flagged for review."""
    if forum.status not in OPEN_STATUSES:
        raise QuestionError('forum_closed', _('Hội nghị đã kết thúc.'), status=409)
    text = _check_text(text)
    _check_rate(delegate, now)
    if delegate is not None:
        venue = delegate.venue
        author_name = author_name or delegate.full_name
        author_position = author_position or delegate.position
        author_body = author_body or delegate.body
    author_name = normalize_text(author_name)
    if not author_name:
        raise QuestionError('author_required', _('Nhập họ và tên người gửi.'))
    if venue is None or venue.forum_id != forum.id:
        raise QuestionError('venue_required', _('Chọn điểm cầu của người gửi.'))
    flagged = find_profanity(text, current_app.config.get('PROFANITY_LIST_FILE'))
    question = Question(
        forum_id=forum.id,
        venue_id=venue.id,
        delegate_id=getattr(delegate, 'id', None),
        submitted_by_id=getattr(user, 'id', None),
        author_name=author_name,
        author_position=normalize_text(author_position),
        author_body=normalize_text(author_body),
        kind=QuestionKind(kind),
        mode=QuestionMode(mode),
        text=text,
        original_text=text,
        held_for_review=bool(flagged),
        created_at=now,
        updated_at=now,
    )
    db.session.add(question)
    db.session.flush()
    announce_questions([(question, False)])
    logger.info(
        'Question %s from venue %s (%s, %s)%s',
        question.id,
        venue.id,
        question.kind,
        question.mode,
        ' held: profanity' if flagged else '',
    )
    return question


def _next_position(forum_id: int) -> int:
    highest = db.session.scalar(
        select(func.max(Question.position)).where(
            Question.forum_id == forum_id,
            Question.status.in_([QuestionStatus.APPROVED, QuestionStatus.CURRENT]),
        )
    )
    return (highest or 0) + 1


def moderate_question(
    question: Question,
    *,
    user,
    now: datetime,
    status: QuestionStatus | None = None,
    text: str | None = None,
    response: str | None = None,
    answered_by: str | None = None,
    position: int | None = None,
) -> dict:
    """Approve, dismiss, put on screen, mark answered, edit, or move an item."""
    was_public = question.status.is_public
    also_changed: list[Question] = []
    if text is not None:
        question.text = _check_text(text)
    if response is not None:
        question.response = normalize_text(response)
    if answered_by is not None:
        question.answered_by = normalize_text(answered_by)
    if question.merged_into_id is not None:
        raise QuestionError('merged', _('Mục này đã được gộp vào mục khác.'), status=409)
    if status is not None and status != question.status:
        status = QuestionStatus(status)
        if status not in MODERATION_MOVES[question.status]:
            raise QuestionError(
                'invalid_move',
                _(
                    'Không thể chuyển từ "%(old)s" sang "%(new)s".',
                    old=question.status.value,
                    new=status.value,
                ),
                status=409,
            )
        if status == QuestionStatus.CURRENT:
            also_changed += _clear_current(question.forum_id, keep=question.id, now=now)
        if status == QuestionStatus.APPROVED and not question.status.is_public:
            question.position = _next_position(question.forum_id)
        if status == QuestionStatus.ANSWERED:
            question.answered_at = now
        question.status = status
    if position is not None:
        also_changed += _move_to(question, position)
    question.moderated_by_id = user.id
    question.updated_at = now
    db.session.flush()
    record_change(
        'question.moderated',
        question,
        user=user,
        forum_id=question.forum_id,
        details={'status': question.status.value},
    )
    return _announced(question, was_public, also_changed)


def _clear_current(forum_id: int, *, keep: int, now: datetime) -> list[Question]:
    """Take the item that is on screen off it, back into the approved queue."""
    current = db.session.scalars(
        select(Question).where(
            Question.forum_id == forum_id,
            Question.status == QuestionStatus.CURRENT,
            Question.id != keep,
        )
    ).all()
    for item in current:
        item.status = QuestionStatus.APPROVED
        item.updated_at = now
    db.session.flush()  # before the new current one, for the one-current index
    return list(current)


def _move_to(question: Question, position: int) -> list[Question]:
    """Put ``question`` at ``position`` (0-based) in the moderators' order; renumber the rest."""
    if not question.status.is_public or question.status == QuestionStatus.ANSWERED:
        raise QuestionError('not_in_queue', _('Chỉ sắp xếp được các mục đã duyệt.'), status=409)
    queue = [q for q in approved_queue(question.forum_id) if q.id != question.id]
    position = max(0, min(position, len(queue)))
    queue.insert(position, question)
    moved = []
    for index, item in enumerate(queue, start=1):
        if item.position != index:
            item.position = index
            if item is not question:
                moved.append(item)
    return moved


def merge_questions(target: Question, duplicates: list[Question], *, user, now: datetime) -> dict:
    """Fold duplicates into ``target``: they leave the queue and their votes move over."""
    if target.merged_into_id is not None or target.status == QuestionStatus.DISMISSED:
        raise QuestionError(
            'bad_merge', _('Không gộp được vào một mục đã loại hoặc đã gộp.'), status=409
        )
    merged = []
    for duplicate in duplicates:
        if duplicate.id == target.id or duplicate.forum_id != target.forum_id:
            raise QuestionError('bad_merge', _('Không gộp được mục này.'))
        if duplicate.merged_into_id is not None:
            raise QuestionError('bad_merge', _('Mục này đã được gộp vào mục khác.'), status=409)
        voters = set(
            db.session.scalars(select(Vote.delegate_id).where(Vote.question_id == target.id))
        )
        for vote in db.session.scalars(select(Vote).where(Vote.question_id == duplicate.id)):
            if vote.delegate_id in voters:
                db.session.delete(vote)
            else:
                vote.question_id = target.id
                voters.add(vote.delegate_id)
        duplicate.merged_into_id = target.id
        duplicate.status = QuestionStatus.DISMISSED
        duplicate.updated_at = now
        merged.append(duplicate)
    target.updated_at = now
    db.session.flush()
    record_change(
        'question.merged',
        target,
        user=user,
        forum_id=target.forum_id,
        details={'merged': [q.id for q in merged]},
    )
    return _announced(target, target.status.is_public, merged)


def cast_vote(question: Question, delegate: Delegate, *, now: datetime) -> Vote:
    """A delegate's vote for an approved item; a second vote is refused by the database."""
    if question.forum_id != delegate.forum_id:
        raise QuestionError('not_found', _('Không tìm thấy mục này.'), status=404)
    if question.status not in (QuestionStatus.APPROVED, QuestionStatus.CURRENT):
        raise QuestionError(
            'not_votable', _('Chỉ bình chọn được các mục đang chờ trả lời.'), status=409
        )
    vote = Vote(question_id=question.id, delegate_id=delegate.id, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(vote)
    except IntegrityError as error:
        raise QuestionError(
            'already_voted', _('Quý đại biểu đã bình chọn mục này.'), status=409
        ) from error
    after_commit(votes_changed, question.id)
    return vote


def set_names_shown(forum, shown: bool, *, user) -> None:
    """Whether the audience and the big screens see who sent each item.

    The change reaches open pages at once: every public item is sent again (the audience's copy
    carries the author or not), and the staff stream skips one version on purpose, so staff
    pages (the big screens) see a gap, ask for a snapshot and read the new ``show_names``.
    """
    forum.questions_show_names = bool(shown)
    record_change(
        'forum.questions_show_names',
        forum,
        user=user,
        forum_id=forum.id,
        details={'shown': forum.questions_show_names},
    )
    db.session.flush()
    next_version(forum.id)  # the deliberate gap (see above)
    announce_questions(
        [(question, True) for question in forum_questions(forum.id, public_only=True)]
    )
