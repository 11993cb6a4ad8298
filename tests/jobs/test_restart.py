"""A server restart never loses a job silently: a job queued while no worker runs is run when
one starts; a job cut off by a kill (master, web worker and job worker at once) runs again."""

import io
import json
import secrets
import time
import urllib.error
import urllib.request

import pypdf
import pytest

from tests.servers import LiveServer, call_api

ORGANISER = ('organiser@hagiang.example', 'hagiang2023')  # the demo forum's organiser


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path, secret_key=secrets.token_hex(16))
    server.env['FORUM_JOB_STALE_SECONDS'] = '2'  # a cut-off job is noticed within seconds
    server.cli('db', 'upgrade')
    server.cli('seed-demo', '--delegates', '300')
    yield server
    server.stop()


def start_invitations_job(server, token, forum_id) -> str:
    request = urllib.request.Request(
        f'{server.url}/api/v1/forums/{forum_id}/invitations.pdf',
        headers={'Authorization': f'Bearer {token}', 'Prefer': 'respond-async'},
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 202
        return json.load(response)['job']


def wait_until_finished(server, token, job_url, timeout=90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = call_api(server, job_url, token=token)
        if job['state'] in ('done', 'failed'):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


def pages_of(server, token, url) -> int:
    request = urllib.request.Request(server.url + url, headers={'Authorization': f'Bearer {token}'})
    with urllib.request.urlopen(request, timeout=15) as response:
        return len(pypdf.PdfReader(io.BytesIO(response.read())).pages)


def sign_in(server) -> tuple[str, int]:
    body = {'email': ORGANISER[0], 'password': ORGANISER[1]}
    token = call_api(server, '/api/v1/auth/token', body=body)['token']
    return token, call_api(server, '/api/v1/forums', token=token)['items'][0]['id']


def test_a_job_queued_while_no_worker_runs_is_done_when_one_starts(server):
    server.start('--no-jobs')
    token, forum_id = sign_in(server)
    job_url = start_invitations_job(server, token, forum_id)
    time.sleep(1)
    assert call_api(server, job_url, token=token)['state'] == 'queued'
    with pytest.raises(urllib.error.HTTPError) as unhealthy:  # no worker: the monitor knows
        urllib.request.urlopen(server.url + '/healthz', timeout=10)
    assert unhealthy.value.code == 503
    report = json.load(unhealthy.value)
    assert report['jobs']['ok'] is False and report['jobs']['queued'] == 1
    server.stop()

    server.start()  # with its job worker
    job = wait_until_finished(server, token, job_url)
    assert job['state'] == 'done'
    assert pages_of(server, token, job['result']) == 300
    with urllib.request.urlopen(server.url + '/healthz', timeout=10) as health:
        assert json.load(health)['jobs']['ok'] is True


def test_a_job_cut_off_by_a_kill_runs_again_after_the_restart(server):
    server.start()
    token, forum_id = sign_in(server)
    job_url = start_invitations_job(server, token, forum_id)
    deadline = time.monotonic() + 30
    while call_api(server, job_url, token=token)['state'] == 'queued':
        assert time.monotonic() < deadline
        time.sleep(0.02)
    server.kill()  # the job worker is in the same process group: it dies mid-render

    server.start()
    job = wait_until_finished(server, token, job_url)
    assert job['state'] == 'done', job
    assert pages_of(server, token, job['result']) == 300
