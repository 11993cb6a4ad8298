"""The minutes (BIÊN BẢN) and the conclusion notice (THÔNG BÁO kết luận) of a forum: the
secretariat's draft, its revisions, and the documents issued from it."""

from flask import Blueprint

bp = Blueprint('minutes', __name__)
