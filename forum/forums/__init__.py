"""A forum: its details, agenda, chairs and guests, and its status."""

from flask import Blueprint

bp = Blueprint('forums', __name__)

from forum.forums import views  # noqa: E402,F401
