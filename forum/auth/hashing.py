"""Password hashing off the event loop.

scrypt costs about 100 ms of CPU by design. Under gevent that would stop every other request of
the process for as long; ``hashlib.scrypt`` releases the GIL, so it runs in gevent's thread pool
while the loop goes on serving (ten sign-ins at once no longer stall a check-in).
"""

from werkzeug.security import check_password_hash, generate_password_hash

from forum.database import running_under_gevent


def _off_the_loop(function, *args):
    if running_under_gevent():
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)


def hash_password(password: str, method: str) -> str:
    """A salted hash of ``password``, computed in a thread of its own under gevent."""
    return _off_the_loop(generate_password_hash, password, method)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``, checked in a thread under gevent."""
    return _off_the_loop(check_password_hash, stored_hash, password)
