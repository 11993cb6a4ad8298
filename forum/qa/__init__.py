"""The live queue: questions, opinions, proposals and requests to speak, moderated live."""

from flask import Blueprint

bp = Blueprint('qa', __name__)
