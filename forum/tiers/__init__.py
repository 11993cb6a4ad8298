"""Administrative units and the bridge points (venues) of a forum."""

from flask import Blueprint

bp = Blueprint('tiers', __name__)
