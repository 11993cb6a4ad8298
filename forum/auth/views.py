"""Sign in and out of the organisers' pages."""

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from forum.auth import bp
from forum.auth.forms import ChangePasswordForm, NewUserForm, SignInForm
from forum.auth.labels import USER_ROLE_LABELS
from forum.auth.models import User, UserRole
from forum.auth.permissions import roles_required
from forum.auth.services import (
    AccountError,
    authenticate,
    change_own_password,
    create_user,
    end_sessions,
    set_user_enabled,
)
from forum.extensions import db, login_manager
from forum.form_choices import choices_from
from forum.ratelimits import check_sign_in, record_failed_sign_in
from forum.unit_of_work import refused


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The account of a session or remember cookie, while its version is the account's."""
    user_id, _, version = session_id.partition(':')
    if not (user_id.isdigit() and version.isdigit() and len(user_id) < 19):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.token_version != int(version):
        return None
    return user


login_manager.login_view = 'auth.sign_in'
login_manager.login_message = None


def _safe_next_url(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site."""
    if target and not urlsplit(target).netloc and target.startswith('/'):
        return target
    return url_for('forums.list_forums')


@bp.route('/login', methods=['GET', 'POST'])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for('forums.list_forums'))
    form = SignInForm()
    if form.validate_on_submit():
        check_sign_in(form.email.data)
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next_url(request.args.get('next')))
        record_failed_sign_in(form.email.data)
        flash(_('Email hoặc mật khẩu không đúng.'), 'danger')
    return render_template('auth/sign_in.html', form=form), 422 if form.is_submitted() else 200


@bp.route('/logout', methods=['POST'])
@login_required
def sign_out():
    """Sign out everywhere: this account's sessions, remember cookies and tokens end."""
    end_sessions(current_user._get_current_object())
    logout_user()
    return redirect(url_for('auth.sign_in'))


@bp.route('/account/password', methods=['GET', 'POST'])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current_password.data, form.new_password.data)
        except AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            login_user(current_user._get_current_object())  # this session goes on, others end
            flash(_('Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.'), 'success')
            return redirect(url_for('forums.list_forums'))
    status = 422 if form.is_submitted() else 200
    return render_template('auth/change_password.html', form=form), status


@bp.route('/')
def home():
    return redirect(url_for('forums.list_forums'))


@bp.route('/admin/users', methods=['GET', 'POST'])
@roles_required(UserRole.ADMIN)
def manage_users():
    form = NewUserForm()
    form.role.choices = choices_from(USER_ROLE_LABELS.items())
    if form.validate_on_submit():
        try:
            create_user(
                form.email.data,
                form.password.data,
                UserRole(form.role.data),
                full_name=form.full_name.data or '',
                created_by=current_user,
            )
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            flash(_('Đã tạo tài khoản %(email)s.', email=form.email.data), 'success')
            return redirect(url_for('auth.manage_users'))
    users = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    status = 422 if form.is_submitted() else 200
    return render_template('auth/users.html', users=users, form=form), status


@bp.route('/admin/users/<int:user_id>/enabled', methods=['POST'])
@roles_required(UserRole.ADMIN)
def toggle_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    try:
        set_user_enabled(user, not user.is_enabled, by=current_user)
    except AccountError as error:
        flash(str(error), 'danger')
        refused()
    return redirect(url_for('auth.manage_users'))
