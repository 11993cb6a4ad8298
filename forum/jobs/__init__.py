"""Background jobs: heavy work (PDFs, imports, exports, e-mail) off the web process's loop."""

from flask import Blueprint

bp = Blueprint('jobs', __name__)
