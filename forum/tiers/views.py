"""Pages for bridge points: the list, the tier-tree chooser, a point's details and roll call."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.auth.models import User, UserRole
from forum.auth.permissions import (
    can_edit_venue,
    roles_required,
    visible_forum_or_404,
    visible_venue_ids,
)
from forum.db_types import utcnow
from forum.extensions import db
from forum.form_choices import choices_from
from forum.tiers import bp
from forum.tiers.forms import ConnectionStatusForm, VenueForm
from forum.tiers.models import ConnectionStatus, Tier, Venue
from forum.tiers.services import (
    VenueError,
    add_venues,
    remove_venues,
    report_connection_status,
    unit_tree,
    update_venue,
    venues_by_tier,
)
from forum.unit_of_work import refused


@bp.route('/forums/<int:forum_id>/venues')
@login_required
def list_venues(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    visible = visible_venue_ids(current_user, forum)
    grouped = {
        tier: [v for v in venues if visible is None or v.id in visible]
        for tier, venues in venues_by_tier(forum).items()
    }
    return render_template('tiers/venues.html', forum=forum, venues=grouped)


@bp.route('/forums/<int:forum_id>/venues/choose', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def choose_venues(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    tree = unit_tree(forum.province_code)
    if request.method == 'POST':
        return _apply_choice(forum, tree)
    chosen = {venue.unit_code for venue in forum.venues}
    return render_template('tiers/choose.html', forum=forum, tree=tree, chosen=chosen)


def _apply_choice(forum, tree):
    """Add the checked units and remove the unchecked ones; a preset button only adds."""
    preset = request.form.get('preset')
    districts = [district.code for district, _communes in tree]
    communes = [commune.code for _district, communes in tree for commune in communes]
    if preset == 'all-districts':
        to_add, to_remove = districts, []
    elif preset == 'all-communes':
        to_add, to_remove = communes, []
    elif preset == 'all':
        to_add, to_remove = (districts if forum.tier_depth == 3 else []) + communes, []
    else:
        checked = set(request.form.getlist('unit'))
        to_add = [code for code in districts + communes if code in checked]
        to_remove = [
            v.unit_code for v in forum.venues if not v.is_hub and v.unit_code not in checked
        ]
    if forum.tier_depth == 2:
        to_add = [code for code in to_add if code not in districts]
    try:
        removed = remove_venues(forum, to_remove, user=current_user)
        added = add_venues(forum, to_add, user=current_user)
    except VenueError as error:
        flash(str(error), 'danger')
        refused()
        return redirect(url_for('tiers.choose_venues', forum_id=forum.id))
    flash(
        _('Đã thêm %(added)d và bỏ %(removed)d điểm cầu.', added=len(added), removed=removed),
        'success',
    )
    return redirect(url_for('tiers.list_venues', forum_id=forum.id))


def _venue_or_404(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id) or abort(404)
    if not can_edit_venue(current_user, venue):
        abort(403)
    return venue


@bp.route('/venues/<int:venue_id>', methods=['GET', 'POST'])
@login_required
def edit_venue(venue_id: int):
    venue = _venue_or_404(venue_id)
    form = VenueForm(obj=venue if request.method == 'GET' else None)
    operators = db.session.scalars(
        select(User).where(User.role == UserRole.OPERATOR).order_by(User.email)
    ).all()
    form.operators.choices = choices_from(
        (u.id, f'{u.full_name or u.email} <{u.email}>') for u in operators
    )
    if request.method == 'GET':
        form.operators.data = [u.id for u in venue.operators]
    if form.validate_on_submit():
        changes = {
            'address': form.address.data or '',
            'capacity': form.capacity.data,
            'join_url': form.join_url.data or '',
        }
        if current_user.is_organiser:
            chosen = set(form.operators.data or [])
            changes['operators'] = [u for u in operators if u.id in chosen]
        update_venue(venue, user=current_user, **changes)
        flash(_('Đã lưu điểm cầu.'), 'success')
        return redirect(url_for('tiers.edit_venue', venue_id=venue.id))
    status_form = ConnectionStatusForm(
        status=venue.connection_status.value
        if venue.connection_status != ConnectionStatus.NOT_CHECKED
        else None
    )
    return render_template(
        'tiers/venue.html',
        venue=venue,
        form=form,
        status_form=status_form,
        Tier=Tier,
    ), (422 if form.is_submitted() else 200)


@bp.route('/venues/<int:venue_id>/status', methods=['POST'])
@login_required
def report_status(venue_id: int):
    venue = _venue_or_404(venue_id)
    form = ConnectionStatusForm()
    if form.validate_on_submit():
        report_connection_status(
            venue,
            ConnectionStatus(form.status.data),
            form.note.data or '',
            user=current_user,
            now=utcnow(),
        )
        flash(_('Đã báo cáo tình trạng kết nối.'), 'success')
    else:
        flash(_('Chọn "Đã kết nối" hoặc "Có sự cố".'), 'danger')
    return redirect(url_for('tiers.edit_venue', venue_id=venue.id))
