"""Keeping an uploaded list between its preview and the organiser's "Nhập" (import) click.

The file is stored under a random token (256 bits, never derived from ids) with a note of the
forum and the user it belongs to; only that user, on that forum, can use it, and it is deleted
once imported. Files left behind (a preview never confirmed) are removed after a day.
"""

import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r'[A-Za-z0-9_-]{43}')


@dataclass(frozen=True)
class StoredUpload:
    token: str
    filename: str
    data: bytes


def save_upload(directory: Path, data: bytes, *, filename: str, forum_id: int, user_id: int) -> str:
    """Store the file; return the token that finds it again."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    purge_stale_uploads(directory)
    token = secrets.token_urlsafe(32)
    _data_path(directory, token).write_bytes(data)
    meta = {'filename': filename, 'forum_id': forum_id, 'user_id': user_id}
    _meta_path(directory, token).write_text(json.dumps(meta, ensure_ascii=False))
    for path in (_data_path(directory, token), _meta_path(directory, token)):
        path.chmod(0o600)
    return token


def load_upload(directory: Path, token: str, *, forum_id: int, user_id: int) -> StoredUpload | None:
    """The file stored under ``token`` for this forum and user, else None."""
    if not _TOKEN.fullmatch(token or ''):
        return None
    try:
        meta = json.loads(_meta_path(directory, token).read_text())
        data = _data_path(directory, token).read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get('forum_id') != forum_id or meta.get('user_id') != user_id:
        logger.warning('Upload %s… asked for by user %s on forum %s', token[:6], user_id, forum_id)
        return None
    return StoredUpload(token=token, filename=meta.get('filename', ''), data=data)


def discard_upload(directory: Path, token: str) -> None:
    """Delete the stored file, if it is there."""
    if _TOKEN.fullmatch(token or ''):
        for path in (_data_path(directory, token), _meta_path(directory, token)):
            path.unlink(missing_ok=True)


def purge_stale_uploads(directory: Path, max_age: float = MAX_AGE_SECONDS) -> int:
    """Delete stored files older than ``max_age`` seconds; return how many."""
    cutoff = time.time() - max_age
    removed = 0
    for path in directory.glob('*.upload'):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                path.with_suffix('.json').unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed


def _data_path(directory: Path, token: str) -> Path:
    return directory / f'{token}.upload'


def _meta_path(directory: Path, token: str) -> Path:
    return directory / f'{token}.json'
