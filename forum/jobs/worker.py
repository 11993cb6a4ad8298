"""The job worker: Huey's consumer with threads, a heartbeat the health check reads, a sweeper.

``forum jobs worker`` runs it in a process of its own (``forum serve`` starts one beside
gunicorn). Threads, not processes: most jobs wait on the database or an SMTP server, and the
renders that need the CPU are this process's, not the web worker's, so the forum's event loop
never waits for them.
"""

import logging
import os
import signal
import socket
import threading
import time

from forum.jobs.queue import huey_of
from forum.jobs.sandbox import start_fork_server
from forum.jobs.sweep import sweep_jobs

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = 'forum:worker-heartbeat'
HEARTBEAT_SECONDS = 5
SWEEP_SECONDS = 30


def _beat(app, stop: threading.Event) -> None:
    huey = huey_of(app)
    name = f'{socket.gethostname()}:{os.getpid()}'
    while not stop.is_set():
        try:
            huey.put(HEARTBEAT_KEY, {'at': time.time(), 'worker': name})
        except Exception:
            logger.exception('Job worker heartbeat not written')
        stop.wait(HEARTBEAT_SECONDS)


def _sweep(app, stop: threading.Event) -> None:
    interval = min(SWEEP_SECONDS, max(1, app.config['JOB_STALE_SECONDS'] / 2))
    while not stop.is_set():
        try:
            sweep_jobs(app)
        except Exception:
            logger.exception('Job sweep failed')
        stop.wait(interval)


class Worker:
    """A consumer with its heartbeat and sweeper threads."""

    def __init__(self, app, workers: int):
        self.app = app
        huey = huey_of(app)
        self.consumer = huey.create_consumer(
            workers=workers,
            worker_type='thread',
            periodic=False,
            initial_delay=0.05,
            backoff=1.5,
            max_delay=app.config['JOBS_POLL_SECONDS'],
            # systemd and forum serve stop the worker with SIGTERM: the jobs at hand get a few
            # seconds to finish; one cut off is run again later (a mail batch resumes where it
            # stopped, sending nobody twice).
            graceful_signal='TERM',
            shutdown_timeout=app.config['JOBS_SHUTDOWN_SECONDS'],
        )
        self.stop_flag = threading.Event()
        self.threads = [
            threading.Thread(target=target, args=(app, self.stop_flag), daemon=True, name=name)
            for target, name in ((_beat, 'job-heartbeat'), (_sweep, 'job-sweep'))
        ]

    def _start_helpers(self) -> None:
        for thread in self.threads:
            thread.start()

    def run(self) -> None:
        """Serve jobs until SIGTERM or SIGINT (what systemd and ``forum serve`` send), at a lower
        CPU priority than the web process: on a shared machine the forum's loop (check-ins, the
        live queue) gets the cores first, and a render takes what is left."""
        niceness = self.app.config['JOBS_NICE']
        if niceness:
            os.nice(niceness)
        self._start_helpers()
        start_fork_server()
        try:
            self.consumer.run()
        finally:
            self.stop_flag.set()

    def start_in_background(self) -> 'Worker':
        """Start without taking the process's signals (tests run it inside pytest)."""
        saved = {
            sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        }
        self.consumer.start()
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        self._start_helpers()
        return self

    def stop(self) -> None:
        """Stop taking jobs and wait for the running ones to end."""
        self.stop_flag.set()
        self.consumer.stop(graceful=True)
