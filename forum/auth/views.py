"""Sign in and out of the organisers' pages."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forum.auth import bp
from forum.auth.forms import SignInForm
from forum.auth.models import User
from forum.auth.services import authenticate
from forum.extensions import db, login_manager


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


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
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next_url(request.args.get('next')))
        flash(_('Email hoặc mật khẩu không đúng.'), 'danger')
    return render_template('auth/sign_in.html', form=form), 422 if form.is_submitted() else 200


@bp.route('/logout', methods=['POST'])
@login_required
def sign_out():
    logout_user()
    return redirect(url_for('auth.sign_in'))


@bp.route('/')
def home():
    return redirect(url_for('forums.list_forums'))
