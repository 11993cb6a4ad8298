"""A real server for tests and benchmarks: ``forum serve`` (gunicorn, one gevent worker), on a
SQLite file in WAL or any database URL.

The database is prepared with the ``forum`` CLI, as an operator would. The server runs in its own
process group, so that ``kill()`` can take down gunicorn's master and its worker together, as a
power switch or the OOM killer would. ``bench/`` serves the forum (and its baselines, with
another ``command``) with the same class.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

BIN = Path(sys.executable).parent


def call_api(server, path: str, *, token=None, body=None, method=None):
    """A JSON request to a served app's API (with a staff token if given); the parsed answer."""
    headers = {'Content-Type': 'application/json', 'Accept': 'application/json'}
    if token:
        headers['Authorization'] = f'Bearer {token}'
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.url + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.load(response)


def send(server, method, path, *, token=None, body=None, timeout=15):
    """One JSON request on its own connection: (status, parsed body or None, headers)."""
    connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=timeout)
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = f'Bearer {token}'
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        return response.status, parsed, dict(response.getheaders())
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'the server exited with {process.returncode}')
        with socket.socket() as probe:
            if probe.connect_ex(('127.0.0.1', port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f'nothing listens on port {port}')


def wait_for_answers(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Until the server answers HTTP (its port can accept before its worker has booted)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f'the server exited with {process.returncode}')
        try:
            with urllib.request.urlopen(url + '/healthz', timeout=5):
                return
        except urllib.error.HTTPError:
            return  # 503 is an answer: the server serves (a part of it may be down)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from /proc."""
    fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


class LiveServer:
    """``forum serve`` on a fresh SQLite database (or ``database_url``), with the CLI at hand to
    prepare data; a fresh secret key unless one is given."""

    def __init__(self, workdir: Path, *, secret_key: str | None = None,
                 database_url: str | None = None):  # fmt: skip
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.database_path = workdir / 'forum.db'
        self.database_url = database_url or f'sqlite:///{self.database_path}'
        self.env = {
            **os.environ,
            'FORUM_DATABASE_URL': self.database_url,
            'FORUM_SECRET_KEY': secret_key or secrets.token_hex(32),
            'FORUM_PORT': str(self.port),
        }
        self.log_path = workdir / 'server.log'
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        """Run ``forum …`` on this server's database; its output (its output too if it fails)."""
        result = subprocess.run(
            [BIN / 'forum', *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        if result.returncode:
            raise RuntimeError(f'forum {" ".join(args)} failed:\n{result.stdout}{result.stderr}')
        return result.stdout

    def command(self, *serve_args: str) -> list:
        """What serves (a benchmark's baseline app says otherwise)."""
        return [BIN / 'forum', 'serve', *serve_args]

    def start(self, *serve_args: str) -> None:
        """Serve (again) on the same port and database; returns once the port answers."""
        with self.log_path.open('a') as log:
            self.process = subprocess.Popen(
                self.command(*serve_args),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # gunicorn's master and worker share a process group
            )
        wait_for_port(self.port, self.process)
        wait_for_answers(self.url, self.process)

    def _children(self) -> list[int]:
        children = Path(f'/proc/{self.process.pid}/task/{self.process.pid}/children')
        return [int(pid) for pid in children.read_text().split()]

    def _child(self, jobs: bool, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for pid in self._children():
                with suppress(OSError):
                    command = Path(f'/proc/{pid}/cmdline').read_bytes().split(b'\0')
                    if (b'jobs' in command) == jobs:
                        return pid
            time.sleep(0.1)
        raise TimeoutError(f'no {"job" if jobs else "web"} worker under the server')

    def worker_pid(self) -> int:
        """gunicorn's web worker (the master also starts the job worker, unless --no-jobs)."""
        return self._child(jobs=False)

    def job_worker_pid(self) -> int:
        """The job worker ``forum serve`` starts beside gunicorn."""
        return self._child(jobs=True)

    def cpu_seconds(self) -> float:
        """The web worker's CPU time so far."""
        return cpu_seconds(self.worker_pid())

    def kill(self) -> None:
        """SIGKILL the master and the worker at once: nothing gets to clean up."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        self._wait_for_group_to_exit()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self._wait_for_group_to_exit()

    def _wait_for_group_to_exit(self, timeout: float = 15) -> None:
        """The worker is not our child: wait until no live process of the group is left."""
        deadline = time.monotonic() + timeout
        while _live_members(self.process.pid):
            if time.monotonic() > deadline:
                raise TimeoutError('the server processes did not exit')
            time.sleep(0.05)


def _live_members(group: int) -> list[int]:
    """Processes of a process group that are not zombies (a zombie holds no files or ports)."""
    members = []
    for stat in Path('/proc').glob('[0-9]*/stat'):
        with suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(')', 1)[1].split()
            if int(fields[2]) == group and fields[0] != 'Z':
                members.append(int(stat.parent.name))
    return members
