"""Operators' pages: the scanner at the door, a bridge point's check-in list; the board."""

from forum.checkin import bp

__all__ = ['bp']
