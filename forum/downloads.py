"""Download headers shared by every file the forum sends."""

import re
from urllib.parse import quote

from forum.text import search_key


def content_disposition(filename: str, disposition: str = 'attachment') -> str:
    """The disposition with an ASCII name for old clients and the Vietnamese one (RFC 6266)."""
    stem, dot, extension = filename.rpartition('.')
    if not dot:
        stem, extension = filename, ''
    ascii_name = '-'.join(re.findall(r'[a-z0-9]+', search_key(stem))) or 'file'
    if extension:
        ascii_name += '.' + re.sub(r'[^a-z0-9]', '', extension.lower())
    quoted = quote(filename, safe='')
    return f'{disposition}; filename="{ascii_name}"; filename*=UTF-8\'\'{quoted}'
