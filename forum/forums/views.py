"""Organisers' pages for forums: list, create, edit, show, advance the status."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.auth.models import UserRole
from forum.auth.permissions import roles_required, visible_forum_or_404
from forum.extensions import db
from forum.form_choices import choices_from
from forum.forums import bp
from forum.forums.forms import ForumForm
from forum.forums.models import Forum
from forum.forums.services import (
    ForumError,
    advance_forum_status,
    count_delegates,
    create_forum,
    forums_query_for,
    update_forum,
)
from forum.tiers.services import list_provinces, venues_by_tier
from forum.unit_of_work import refused


def _forum_form(forum: Forum | None = None) -> ForumForm:
    form = ForumForm()
    form.province_code.choices = choices_from((p.code, p.name) for p in list_provinces())
    if forum is not None and not form.is_submitted():
        form.fill_from(forum)
    return form


def _save(form: ForumForm, forum: Forum | None, template: str):
    if form.validate_on_submit():
        try:
            if forum is None:
                forum = create_forum(form.to_data(), user=current_user)
            else:
                update_forum(forum, form.to_data(), user=current_user)
        except ForumError as error:
            flash(str(error), 'danger')  # shown again with 422: nothing of it is kept
        else:
            flash(_('Đã lưu hội nghị.'), 'success')
            return redirect(url_for('forums.show_forum', forum_id=forum.id))
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, forum=forum), status


@bp.route('/forums')
@login_required
def list_forums():
    forums = db.session.scalars(forums_query_for(current_user)).all()
    return render_template('forums/list.html', forums=forums)


@bp.route('/forums/new', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def new_forum():
    form = _forum_form()
    if not form.province_code.choices:
        flash(_('Chưa có danh mục đơn vị hành chính: chạy "forum units load".'), 'warning')
    return _save(form, None, 'forums/form.html')


@bp.route('/forums/<int:forum_id>/edit', methods=['GET', 'POST'])
@roles_required(UserRole.ORGANISER)
def edit_forum(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    return _save(_forum_form(forum), forum, 'forums/form.html')


@bp.route('/forums/<int:forum_id>')
@login_required
def show_forum(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    return render_template(
        'forums/show.html',
        forum=forum,
        venues=venues_by_tier(forum),
        delegate_count=count_delegates(forum),
    )


@bp.route('/forums/<int:forum_id>/advance', methods=['POST'])
@roles_required(UserRole.ORGANISER)
def advance_status(forum_id: int):
    forum = visible_forum_or_404(forum_id)
    try:
        advance_forum_status(forum, user=current_user)
    except ForumError as error:
        flash(str(error), 'danger')
        refused()
    return redirect(url_for('forums.show_forum', forum_id=forum.id))
