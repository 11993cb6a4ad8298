"""Reading the live queue: the forum's items, a delegate's own, the vote counts."""

from sqlalchemy import func, select

from forum.delegates.models import Delegate
from forum.extensions import db
from forum.qa.models import Question, QuestionStatus, Vote


def vote_counts(question_ids) -> dict[int, int]:
    """Votes per item."""
    ids = list(question_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Vote.question_id, func.count(Vote.id))
            .where(Vote.question_id.in_(ids))
            .group_by(Vote.question_id)
        ).all()
    )


def approved_queue(forum_id: int) -> list[Question]:
    """Approved and current items in the moderators' order."""
    return list(
        db.session.scalars(
            select(Question)
            .where(
                Question.forum_id == forum_id,
                Question.status.in_([QuestionStatus.APPROVED, QuestionStatus.CURRENT]),
            )
            .order_by(Question.position, Question.created_at, Question.id)
        )
    )


def forum_questions(forum_id: int, *, public_only: bool) -> list[Question]:
    """The forum's items (not merged ones); only what the audience may see when asked."""
    query = select(Question).where(Question.forum_id == forum_id, Question.merged_into_id.is_(None))
    if public_only:
        query = query.where(
            Question.status.in_(
                [QuestionStatus.APPROVED, QuestionStatus.CURRENT, QuestionStatus.ANSWERED]
            )
        )
    return list(
        db.session.scalars(query.order_by(Question.position, Question.created_at, Question.id))
    )


def delegate_questions(delegate: Delegate) -> list[Question]:
    """What a delegate sent, newest first."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.delegate_id == delegate.id)
            .order_by(Question.created_at.desc(), Question.id.desc())
        )
    )
