"""Organisers' pages for delegate lists: the list, import with preview, export."""

from forum.delegates import bp

__all__ = ['bp']
