"""Operators' pages: the scanner at the door, a bridge point's check-in list; the board."""

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user, login_required

from forum.auth.permissions import can_check_in_at, visible_forum_or_404
from forum.auth.services import issue_api_token
from forum.checkin import bp
from forum.checkin.attendance import attendance_summary
from forum.checkin.forms import CheckInButtonForm, UndoCheckInForm
from forum.checkin.labels import CHECKIN_METHOD_LABELS
from forum.checkin.models import CheckIn
from forum.checkin.services import (
    CheckInError,
    check_out,
    return_inside,
    undo_check_in,
    venue_checkins,
)
from forum.db_types import utcnow
from forum.extensions import db
from forum.tiers.labels import CONNECTION_STATUS_LABELS, TIER_LABELS
from forum.tiers.models import Tier, Venue
from forum.unit_of_work import refused

METHOD_LABELS = CHECKIN_METHOD_LABELS

# Pages that link to the door (bridge-point lists) ask the same question as the door itself.
bp.add_app_template_global(can_check_in_at, 'can_check_in_at')


@bp.app_template_filter('local_hhmm')
def local_hhmm(value) -> str:
    """A UTC timestamp as HH:MM in the forum's local time (Asia/Ho_Chi_Minh)."""
    return to_user_timezone(value).strftime('%H:%M') if value else ''


def _with_token(page: str):
    """A page that embeds an API token: never kept by a cache or shown from history."""
    response = make_response(page)
    response.headers['Cache-Control'] = 'no-store'
    return response


def _door_or_403(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id) or abort(404)
    if not can_check_in_at(current_user, venue):
        abort(403)
    return venue


def _checkin_or_403(checkin_id: int) -> CheckIn:
    checkin = db.session.get(CheckIn, checkin_id) or abort(404)
    if not can_check_in_at(current_user, checkin.venue):
        abort(403)
    return checkin


# The scanner -------------------------------------------------------------------------------


@bp.route('/venues/<int:venue_id>/scan')
@login_required
def scanner(venue_id: int):
    """The door: camera, a hardware scanner or a typed code, a name search, walk-ins."""
    venue = _door_or_403(venue_id)
    return _with_token(
        render_template(
            'checkin/scan.html',
            venue=venue,
            forum=venue.forum,
            api_token=issue_api_token(current_user),
            timezone=current_app.config['BABEL_DEFAULT_TIMEZONE'],
        )
    )


# A bridge point's check-in list -------------------------------------------------------------


@bp.route('/venues/<int:venue_id>/checkins')
@login_required
def checkin_list(venue_id: int):
    """The check-ins made at a bridge point, latest first; undone ones with ``?all=1``."""
    venue = _door_or_403(venue_id)
    show_all = request.args.get('all') == '1'
    checkins = venue_checkins(venue, include_undone=show_all)
    active = [c for c in checkins if c.undone_at is None]
    return render_template(
        'checkin/list.html',
        venue=venue,
        forum=venue.forum,
        checkins=checkins,
        show_all=show_all,
        present=len(active),
        inside=sum(1 for c in active if c.checked_out_at is None),
        method_labels=METHOD_LABELS,
    )


def _back_to_list(venue_id: int):
    args = {'all': '1'} if request.args.get('all') == '1' else {}
    return redirect(url_for('checkin.checkin_list', venue_id=venue_id, **args))


def _change_checkin(checkin: CheckIn, change, success: str):
    """Apply one change to a check-in; explain a refusal instead."""
    try:
        change()
    except CheckInError as error:
        flash(error.message, 'danger')
        refused()
    else:
        flash(success, 'success')
    return _back_to_list(checkin.venue_id)


@bp.route('/checkins/<int:checkin_id>/undo', methods=['POST'])
@login_required
def undo(checkin_id: int):
    checkin = _checkin_or_403(checkin_id)
    form = UndoCheckInForm()
    if not form.validate_on_submit():
        abort(400)
    return _change_checkin(
        checkin,
        lambda: undo_check_in(
            checkin, user=current_user, reason=form.reason.data or '', now=utcnow()
        ),
        _('Đã hủy lượt điểm danh của %(name)s.', name=checkin.delegate.full_name),
    )


@bp.route('/checkins/<int:checkin_id>/check-out', methods=['POST'])
@login_required
def leave(checkin_id: int):
    checkin = _checkin_or_403(checkin_id)
    if not CheckInButtonForm().validate_on_submit():
        abort(400)
    return _change_checkin(
        checkin,
        lambda: check_out(checkin, now=utcnow()),
        _('%(name)s đã ra khỏi hội trường.', name=checkin.delegate.full_name),
    )


@bp.route('/checkins/<int:checkin_id>/back-in', methods=['POST'])
@login_required
def back_in(checkin_id: int):
    checkin = _checkin_or_403(checkin_id)
    if not CheckInButtonForm().validate_on_submit():
        abort(400)
    if checkin.undone_at is not None:
        flash(_('Lượt điểm danh này đã được hủy.'), 'danger')
        return _back_to_list(checkin.venue_id)
    return _change_checkin(
        checkin,
        lambda: return_inside(checkin),
        _('%(name)s đã trở lại hội trường.', name=checkin.delegate.full_name),
    )


# The attendance board -----------------------------------------------------------------------


def _district_of(venue: Venue) -> str | None:
    """The district a bridge point belongs to (for the per-district chart); None for the hub."""
    if venue.tier == Tier.DISTRICT:
        return venue.name
    if venue.parent is not None and venue.parent.tier == Tier.DISTRICT:
        return venue.parent.name
    return None


@bp.route('/forums/<int:forum_id>/attendance')
@login_required
def attendance_board(forum_id: int):
    """Invited and present per tier and bridge point, live; also for the hub's big screen."""
    forum = visible_forum_or_404(forum_id)
    venues = {venue.id: venue for venue in forum.venues}
    return _with_token(
        render_template(
            'checkin/board.html',
            forum=forum,
            attendance=attendance_summary(forum),
            venues=venues,
            districts={venue_id: _district_of(venue) for venue_id, venue in venues.items()},
            tier_labels={tier.value: str(label) for tier, label in TIER_LABELS.items()},
            connection_labels={
                s.value: str(label) for s, label in CONNECTION_STATUS_LABELS.items()
            },
            api_token=issue_api_token(current_user),
            timezone=current_app.config['BABEL_DEFAULT_TIMEZONE'],
        )
    )
