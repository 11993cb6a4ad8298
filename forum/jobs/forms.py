"""The one form of a job: its CSRF token, on the button that starts it."""

from forum.form_base import BaseForm


class StartJobForm(BaseForm):
    """Starting a job changes something (a row, a queue): only with the page's own token."""
