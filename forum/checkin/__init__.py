"""Check-in at the door of every bridge point, and the live attendance board."""

from flask import Blueprint

bp = Blueprint('checkin', __name__)
