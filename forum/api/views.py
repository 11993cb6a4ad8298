"""All API views, imported so that their routes are attached to the blueprint."""

from forum.api import auth_views, bp, forum_views  # noqa: F401

__all__ = ['bp']
