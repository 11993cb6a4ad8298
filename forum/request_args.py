"""Reading ids from a page's query string: a number no row can have finds nothing (404)."""

from flask import abort

from forum.input_guard import MAX_ID


def id_arg(args, name: str) -> int | None:
    """The id ``name`` of ``args`` (None when absent or not a number); 404 when out of range."""
    value = args.get(name, type=int)
    if value is not None and not 0 < value < MAX_ID:
        abort(404)
    return value
