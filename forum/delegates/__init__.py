"""Delegate lists: people invited to a forum, at their bridge point."""

from flask import Blueprint

bp = Blueprint('delegates', __name__)
