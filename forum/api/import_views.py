"""API views (filled in by the Invitations issue)."""

from forum.api import bp  # noqa: F401
