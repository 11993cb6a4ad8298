"""A forum: its details, agenda, chairs and guests, and its status."""

from flask import Blueprint

bp = Blueprint('forums', __name__)
