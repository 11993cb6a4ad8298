"""The delegate's own page, and the organisers' invitation pages."""

from forum.invitations import bp

__all__ = ['bp']
