"""Running a pure function in a child process held to a memory and a time limit.

For the work whose cost depends on a file someone uploaded (reading a delegate list): however
the file was crafted, the worker's own memory does not grow and its thread is back within the
time limit. The child comes from a fork server started once per process with the modules the
work needs already imported, so a call costs a fork (a few milliseconds), not an interpreter.

The function and its arguments and result travel by pickle: module-level functions, plain data.
"""

import logging
import multiprocessing
import resource
import threading
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from forum.errors import DomainError

logger = logging.getLogger(__name__)

PRELOADED = ['forum.delegates.importing', 'openpyxl', 'openpyxl.reader.excel']
_context_lock = threading.Lock()
_context = None


class LimitExceeded(DomainError):
    """The work needed more memory or time than it may have."""

    def __init__(self, message: str):
        super().__init__('limit_exceeded', message, status=422)


def _fork_context():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context('forkserver')
            context.set_forkserver_preload(PRELOADED)
            _context = context
        return _context


def start_fork_server() -> None:
    """Start the fork server now (it takes a second), so that the first upload does not wait."""
    from multiprocessing import forkserver

    _fork_context()
    forkserver.ensure_running()


def _child(connection, memory_bytes: int, func: Callable, args: tuple) -> None:
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome = ('ok', func(*args))
    except MemoryError:
        outcome = ('memory', None)
    except BaseException as error:  # sent back and raised in the parent as it was
        outcome = ('error', error)
    try:
        connection.send(outcome)
    except MemoryError:
        connection.send(('memory', None))
    finally:
        connection.close()


def run_limited(func: Callable, *args: Any, memory_mb: int, seconds: float) -> Any:
    """``func(*args)`` in a child process of at most ``memory_mb`` MB of address space, given
    ``seconds``; ``LimitExceeded`` when it needs more of either. ``memory_mb=0``: no memory
    limit."""
    context = _fork_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, memory_mb * 1024 * 1024, func, args), daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise LimitExceeded(
                _('Việc đọc tệp cần hơn %(seconds)d giây; tệp quá lớn hoặc bị tạo bất thường.',
                  seconds=int(seconds))
            )  # fmt: skip
        try:
            status, value = receiver.recv()
        except EOFError:  # the child died without a word: killed by the kernel for its memory
            status, value = 'memory', None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status == 'memory':
        raise LimitExceeded(
            _('Việc đọc tệp cần hơn %(memory)d MB bộ nhớ; tệp quá lớn hoặc bị tạo bất thường.',
              memory=memory_mb)
        )  # fmt: skip
    if status == 'error':
        raise value
    return value
