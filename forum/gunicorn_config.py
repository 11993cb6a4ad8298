"""gunicorn hooks for ``forum serve`` (``--config python:forum.gunicorn_config``).

Two things for the one gevent worker under load (measured with ``bench/checkin.py``):

- **The garbage collector.** Once the app is loaded, everything it allocated at boot (SQLAlchemy,
  Flask, marshmallow, Babel, the routes and schemas: about 170,000 objects that live as long as
  the process) is moved out of the collector's way with ``gc.freeze()``. A full collection then
  walks only what was allocated since (the connected clients' objects: about 40,000 with 500
  boards) and stops the worker for about 9 ms instead of 65–70 ms. The thresholds stay Python's:
  larger young generations (10,000 or 50,000 objects instead of 700) made each young collection
  stop it for 15–70 ms.
- **Fair turns** between keep-alive connections (``post_request``).
"""

import gc

import gevent


def post_worker_init(worker):
    """Called by gunicorn in the worker once the application is loaded, before it serves."""
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp):
    """After each response: let the other connections' waiting requests go first.

    The worker reads a keep-alive connection's next request as soon as it is there, without
    going back to gevent's loop. On a busy machine the client often sends it before the worker
    is done (the response's send() wakes the client, which can run first), so one connection
    was served over and over while the other 49 waited: half the check-ins took 2 ms and the
    rest up to 600 ms. Yielding once per request serves the waiting connections in turn.
    """
    gevent.sleep(0)


# The job worker beside the web process (``forum serve`` without ``--no-jobs``) ------------------

JOB_WORKER_ENV = 'FORUM_SERVE_JOBS'
_job_worker = {'process': None, 'stopping': False}


def _start_job_worker(log) -> None:
    import os
    import subprocess
    import sys

    forum = os.path.join(os.path.dirname(sys.executable), 'forum')
    _job_worker['process'] = subprocess.Popen([forum, 'jobs', 'worker'])
    log.info('Job worker started (pid %s)', _job_worker['process'].pid)


def _watch_job_worker(log) -> None:
    """Start the job worker again if it exits while the server runs (waiting longer after each
    quick exit, up to a minute, so that a worker that cannot start does not spin)."""
    import time

    delay = 1.0
    while not _job_worker['stopping']:
        time.sleep(1)
        process = _job_worker['process']
        if process is None or process.poll() is None:
            continue
        log.warning('Job worker exited with %s; starting it again in %.0f s', process.returncode,
                    delay)  # fmt: skip
        started = time.monotonic()
        time.sleep(delay)
        if _job_worker['stopping']:
            return
        _start_job_worker(log)
        time.sleep(1)
        quick_exit = _job_worker['process'].poll() is not None
        delay = min(delay * 2, 60.0) if quick_exit or time.monotonic() - started < 5 else 1.0


def on_starting(server):
    """In gunicorn's master, before the web worker starts: start the job worker beside it."""
    import os
    import threading

    if os.environ.get(JOB_WORKER_ENV) != '1':
        return
    _start_job_worker(server.log)
    threading.Thread(target=_watch_job_worker, args=(server.log,), daemon=True).start()


def on_exit(server):
    """The server stops: stop the job worker (it finishes the job at hand first)."""
    import subprocess

    _job_worker['stopping'] = True
    process = _job_worker['process']
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
