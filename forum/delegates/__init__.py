"""Delegate lists: people invited to a forum, at their bridge point."""
