"""The live queue: sending, moderating, voting, listing and exporting items."""

from forum.api import bp
from forum.api.access import current_caller, for_roles, forum_for_staff, open_to_delegates
from forum.api.schemas import ErrorSchema
from forum.auth.permissions import (
    MODERATOR_ROLES,
    can_check_in_at,
    sees_every_point,
    visible_venue_ids,
)
from forum.db_types import utcnow
from forum.errors import ApiError
from forum.extensions import db
from forum.forums.models import Forum
from forum.qa.live import public_view, queue_for_operator, staff_view
from forum.qa.models import Question
from forum.qa.queries import forum_questions, vote_counts
from forum.qa.schemas import (
    CreatedQuestionSchema,
    MergeRequestSchema,
    ModerationRequestSchema,
    QuestionListArgsSchema,
    QuestionListSchema,
    QuestionRequestSchema,
    QuestionSchema,
)
from forum.qa.services import cast_vote, merge_questions, moderate_question, submit_question
from forum.tiers.models import Venue


def _question_or_404(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None:
        raise ApiError(404, f'There is no item {question_id}.')
    return question


def _require_moderator(forum_id: int):
    """The forum, for the desk (the role is checked first: ``@for_roles``)."""
    return forum_for_staff(forum_id)


@bp.post('/forums/<int:forum_id>/questions')
@bp.arguments(QuestionRequestSchema)
@bp.response(201, CreatedQuestionSchema)
@bp.alt_response(429, schema=ErrorSchema, description='Sending too fast.')
@open_to_delegates
def create_question(data, forum_id):
    """A delegate sends an item (with their code); an operator registers one for a person in
    their room (with a token, ``venue_id`` and ``author_name``)."""
    caller = current_caller()
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise ApiError(404, f'There is no forum {forum_id}.')
    venue = None
    if caller.delegate is not None:
        if caller.delegate.forum_id != forum.id:
            raise ApiError(403, 'This code is for another forum.')
    else:
        venue = db.session.get(Venue, data.get('venue_id') or 0)
        if venue is None or venue.forum_id != forum.id:
            raise ApiError(
                422,
                'Send the venue_id of the bridge point the person is at.',
                details={'json': {'venue_id': ['Unknown bridge point.']}},
            )
        if not can_check_in_at(caller.user, venue):
            raise ApiError(403, 'You register items only for your own bridge point.')
    question = submit_question(
        forum,
        text=data['text'],
        kind=data['kind'],
        mode=data['mode'],
        now=utcnow(),
        delegate=caller.delegate,
        venue=venue,
        user=caller.user,
        author_name=data['author_name'],
        author_position=data['author_position'],
        author_body=data['author_body'],
    )
    return {'id': question.id, 'status': question.status.value}


@bp.get('/forums/<int:forum_id>/questions')
@bp.arguments(QuestionListArgsSchema, location='query')
@bp.response(200, QuestionListSchema)
@open_to_delegates
def list_questions(args, forum_id):
    """The queue: everything for the desk and the secretariat; for an operator, their points'
    items in full and the others' as delegates see them; approved, current and answered items
    for delegates."""
    caller = current_caller()
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise ApiError(404, f'There is no forum {forum_id}.')
    if caller.user is not None:
        forum_for_staff(forum_id)
    elif caller.delegate.forum_id != forum.id:
        raise ApiError(403, 'This code is for another forum.')
    questions = forum_questions(forum.id, public_only=caller.user is None)
    counts = vote_counts(q.id for q in questions)
    if caller.user is not None and sees_every_point(caller.user.role):
        items = [staff_view(q, counts.get(q.id, 0)) for q in questions]
    elif caller.user is not None:
        items = queue_for_operator(
            questions,
            counts,
            venue_ids=visible_venue_ids(caller.user, forum),
            show_names=forum.questions_show_names,
        )
    else:
        items = [
            public_view(q, counts.get(q.id, 0), show_names=forum.questions_show_names)
            for q in questions
        ]
    if args['order'] == 'votes':
        items.sort(key=lambda item: (-item['votes'], item['position'], item['id']))
    return {'items': items, 'total': len(items), 'page': 1, 'per_page': len(items)}


@bp.patch('/questions/<int:question_id>')
@bp.arguments(ModerationRequestSchema)
@bp.response(200, QuestionSchema)
@bp.alt_response(409, schema=ErrorSchema, description='A move the queue does not allow.')
@for_roles(*MODERATOR_ROLES)
def moderate(data, question_id):
    """Moderators: approve, dismiss, put on screen, mark answered, edit, reorder."""
    question = _question_or_404(question_id)
    _forum, user = _require_moderator(question.forum_id)
    return moderate_question(question, user=user, now=utcnow(), **data)


@bp.post('/questions/<int:question_id>/merge')
@bp.arguments(MergeRequestSchema)
@bp.response(200, QuestionSchema)
@for_roles(*MODERATOR_ROLES)
def merge(data, question_id):
    """Moderators: fold duplicates into this item (their votes move over)."""
    target = _question_or_404(question_id)
    _forum, user = _require_moderator(target.forum_id)
    duplicates = [_question_or_404(i) for i in data['duplicates']]
    return merge_questions(target, duplicates, user=user, now=utcnow())


@bp.post('/questions/<int:question_id>/votes')
@bp.response(201, QuestionSchema)
@bp.alt_response(409, schema=ErrorSchema, description='Already voted, or not open to votes.')
@open_to_delegates
def vote(question_id):
    """Delegates (with their code): one vote per item."""
    caller = current_caller()
    if caller.delegate is None:
        raise ApiError(403, 'Delegates vote with their invitation code.')
    question = _question_or_404(question_id)
    cast_vote(question, caller.delegate, now=utcnow())
    forum = db.session.get(Forum, question.forum_id)
    return public_view(
        question,
        vote_counts([question.id]).get(question.id, 0),
        show_names=forum.questions_show_names,
    )
