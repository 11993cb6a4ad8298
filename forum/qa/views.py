"""Pages of the live queue: the moderators' desk, the big screen, a bridge point's page for its
operators, the delegate's part of their own page, and the export of every item.

The pages are served once and then follow ``/live`` (static/js/live-client.js); every change goes
through the JSON API (``forum/api/qa_views.py``) with the token or code each page carries.
"""

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.auth.models import UserRole
from forum.auth.permissions import (
    MODERATOR_ROLES,
    can_check_in_at,
    roles_required,
    visible_forum_or_404,
)
from forum.auth.services import issue_api_token
from forum.extensions import db
from forum.forums.models import Forum
from forum.jobs.pages import offer_or_start_job
from forum.qa import bp
from forum.qa.forms import NamesShownForm
from forum.qa.jobs import submit_question_export
from forum.qa.labels import QUESTION_KIND_LABELS, QUESTION_MODE_LABELS, QUESTION_STATUS_LABELS
from forum.qa.services import OPEN_STATUSES, set_names_shown
from forum.request_args import id_arg
from forum.script_text import (
    delegate_queue_text,
    moderation_text,
    screen_text,
    venue_questions_text,
)
from forum.tiers.labels import TIER_LABELS
from forum.tiers.models import Venue

KIND_LABELS = QUESTION_KIND_LABELS
MODE_LABELS = QUESTION_MODE_LABELS
STATUS_LABELS = QUESTION_STATUS_LABELS
SCREEN_NEXT_ITEMS = 5


def _labels() -> dict:
    """The enum labels the scripts show, in the reader's language."""
    return {
        'kinds': {kind.value: str(label) for kind, label in KIND_LABELS.items()},
        'modes': {mode.value: str(label) for mode, label in MODE_LABELS.items()},
        'statuses': {status.value: str(label) for status, label in STATUS_LABELS.items()},
        'tiers': {tier.value: str(label) for tier, label in TIER_LABELS.items()},
    }


def _hub(forum: Forum) -> Venue:
    return next((venue for venue in forum.venues if venue.is_hub), None) or abort(404)


def _venue_of_forum(forum: Forum, venue_id: int | None) -> Venue:
    if venue_id is None:
        return _hub(forum)
    return db.session.scalar(
        select(Venue).where(Venue.id == venue_id, Venue.forum_id == forum.id)
    ) or abort(404)


# The delegate's page (/i/<code>) -------------------------------------------------------------


def delegate_queue_context(delegate) -> dict:
    """What the delegate's page needs for its queue section (sending, their items, the queue)."""
    forum = delegate.forum
    max_length = current_app.config['QUESTION_MAX_LENGTH']
    return {
        'open': forum.status in OPEN_STATUSES,
        'max_length': max_length,
        'kinds': KIND_LABELS,
        'modes': MODE_LABELS,
        'data': {
            'labels': _labels(),
            'text': delegate_queue_text(),
        },
    }


# The moderators' desk --------------------------------------------------------------------------


@bp.route('/forums/<int:forum_id>/moderation')
@roles_required(*MODERATOR_ROLES)
def moderation(forum_id: int):
    """Pending, approved, on screen and the archive, live, for several moderators at once."""
    forum = visible_forum_or_404(forum_id)
    return render_template(
        'qa/moderation.html',
        forum=forum,
        hub=_hub(forum),
        api_token=issue_api_token(current_user),
        names_form=NamesShownForm(shown=forum.questions_show_names),
        data={
            'labels': _labels(),
            'text': moderation_text(),
            'timezone': current_app.config['BABEL_DEFAULT_TIMEZONE'],
        },
    )


@bp.route('/forums/<int:forum_id>/moderation/names', methods=['POST'])
@roles_required(*MODERATOR_ROLES)
def set_names_setting(forum_id: int):
    """Whether the audience and the big screens see who sent each item (``set_names_shown``
    tells the open pages at once)."""
    forum = visible_forum_or_404(forum_id)
    form = NamesShownForm()
    if not form.validate_on_submit():
        abort(400)
    set_names_shown(forum, form.shown.data, user=current_user)
    if request.accept_mimetypes.best == 'application/json':
        return jsonify({'show_names': forum.questions_show_names})
    flash(_('Đã lưu cài đặt.'), 'success')
    return redirect(url_for('qa.moderation', forum_id=forum.id))


# The big screen --------------------------------------------------------------------------------


@bp.route('/forums/<int:forum_id>/screen')
@login_required
def screen(forum_id: int):
    """The projector of the hub or of a bridge point (``?venue=``): the item on screen, the next
    ones, and the speaking order across tiers."""
    forum = visible_forum_or_404(forum_id)
    venue = _venue_of_forum(forum, id_arg(request.args, 'venue'))
    return render_template(
        'qa/screen.html',
        forum=forum,
        venue=venue,
        api_token=issue_api_token(current_user),
        timezone=current_app.config['BABEL_DEFAULT_TIMEZONE'],
        data={
            'labels': _labels(),
            'next_items': SCREEN_NEXT_ITEMS,
            'text': screen_text(),
        },
    )


# A bridge point's operators --------------------------------------------------------------------


@bp.route('/venues/<int:venue_id>/questions')
@login_required
def venue_questions(venue_id: int):
    """Operators register an item for a person in their room and follow the speaking order."""
    venue = db.session.get(Venue, venue_id) or abort(404)
    if not can_check_in_at(current_user, venue):
        abort(403)
    forum = venue.forum
    return render_template(
        'qa/venue_questions.html',
        forum=forum,
        venue=venue,
        open=forum.status in OPEN_STATUSES,
        max_length=current_app.config['QUESTION_MAX_LENGTH'],
        kinds=KIND_LABELS,
        modes=MODE_LABELS,
        api_token=issue_api_token(current_user),
        data={
            'labels': _labels(),
            'text': venue_questions_text(),
        },
    )


@bp.route(
    '/forums/<int:forum_id>/questions/export.<any(xlsx, csv):file_format>', methods=['GET', 'POST']
)
@roles_required(*MODERATOR_ROLES, UserRole.SECRETARY)
def export_questions(forum_id: int, file_format: str):
    """Every item with its status, votes and answer, for the minutes and the report (a job):
    the desk's and the secretariat's; operators see only their points' items in full."""
    forum = visible_forum_or_404(forum_id)
    desk = current_user.role in MODERATOR_ROLES
    back = url_for('qa.moderation' if desk else 'minutes.secretariat_page', forum_id=forum.id)
    return offer_or_start_job(
        title=_('Xuất câu hỏi, ý kiến'),
        description=_('Tệp %(format)s của mọi mục sẽ được tạo; trang sau có nút tải về.',
                      format=file_format.upper()),
        start=lambda: submit_question_export(forum, file_format, user=current_user,
                                             locale=str(get_locale()), back=back),
        back=back,
    )  # fmt: skip
