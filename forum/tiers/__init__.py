"""Administrative units and the bridge points (venues) of a forum."""

from flask import Blueprint

bp = Blueprint('tiers', __name__)

from forum.tiers import views  # noqa: E402,F401
