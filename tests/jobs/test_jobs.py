"""Jobs as their users meet them: started from the API or a page, followed to the end, failing
with a reason and nothing half-done, run once however often they are queued, cleaned up."""

import io
import time
from datetime import timedelta

import pypdf
import pytest
from sqlalchemy import func, select, update

from forum.auth.models import UserRole
from forum.db_types import utcnow
from forum.delegates.models import Delegate
from forum.extensions import db, socketio
from forum.jobs.models import Job, JobState
from forum.jobs.queue import send_job
from forum.jobs.sweep import sweep_jobs
from forum.jobs.worker import Worker
from tests.delegates.files import csv_bytes
from tests.job_pages import job_id_from, wait_for_job_page

ASYNC = {'Prefer': 'respond-async'}


@pytest.fixture
def big_forum(create_forum, create_delegate):
    """A forum with more delegates than the API prints in the request (60 pages)."""
    forum = create_forum(title='Hội nghị trực tuyến toàn tỉnh')
    for number in range(60):
        create_delegate(forum, f'Đại biểu Số {number:02d}')
    return forum


def wait_for_api_job(client, url, headers, timeout=30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(url, headers=headers).json
        if body['state'] in ('done', 'failed'):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.05)


def test_a_large_invitation_pdf_is_a_job_followed_to_its_file(
    client, big_forum, create_user, api_token, job_worker
):
    headers = api_token(create_user(UserRole.ORGANISER))
    started = client.get(
        f'/api/v1/forums/{big_forum.id}/invitations.pdf', headers={**headers, **ASYNC}
    )
    assert started.status_code == 202
    assert started.headers['Location'] == started.json['job']
    job = wait_for_api_job(client, started.json['job'], headers)
    assert (job['state'], job['kind'], job['unit']) == ('done', 'invitations_pdf', 'pages')
    assert job['progress'] == job['total'] == 60
    pdf = client.get(job['result'], headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == 'application/pdf'
    assert len(pypdf.PdfReader(io.BytesIO(pdf.data)).pages) == 60


def test_a_script_without_prefer_waits_and_gets_the_pdf(
    client, big_forum, create_user, api_token, job_worker
):
    headers = api_token(create_user(UserRole.ORGANISER))
    response = client.get(f'/api/v1/forums/{big_forum.id}/invitations.pdf', headers=headers)
    assert response.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(response.data)).pages) == 60


def test_a_job_is_only_for_its_owner_and_the_forums_organisers(
    client, big_forum, create_user, api_token, job_worker
):
    owner = api_token(create_user(UserRole.ORGANISER))
    started = client.get(
        f'/api/v1/forums/{big_forum.id}/invitations.pdf', headers={**owner, **ASYNC}
    )
    job_url = started.json['job']
    wait_for_api_job(client, job_url, owner)
    assert (
        client.get(job_url, headers=api_token(create_user(UserRole.ORGANISER))).status_code == 200
    )
    moderator = api_token(create_user(UserRole.MODERATOR))
    assert client.get(job_url, headers=moderator).status_code == 403
    assert client.get(job_url + '/result', headers=moderator).status_code == 403
    assert client.get('/api/v1/jobs/999999', headers=owner).status_code == 404
    assert client.get(f'/api/v1/jobs/{2**70}', headers=owner).status_code == 404
    assert client.get(job_url).status_code == 401


def test_the_organisers_page_shows_the_job_and_its_download(
    client, big_forum, create_user, sign_in, job_worker
):
    sign_in(create_user(UserRole.ORGANISER))
    url = f'/forums/{big_forum.id}/invitations.pdf'
    offer = client.get(url)
    assert offer.status_code == 200 and '60 trang giấy mời' in offer.text
    from tests.conftest import csrf_token_from

    started = client.post(url, data={'csrf_token': csrf_token_from(offer.text)})
    job_id = job_id_from(started)
    page = wait_for_job_page(client, job_id)
    assert 'data-state="done"' in page and '60 / 60 trang' in page
    download = client.get(f'/jobs/{job_id}/download')
    assert len(pypdf.PdfReader(io.BytesIO(download.data)).pages) == 60
    assert client.post(url, data={}).status_code == 400  # no token, no job


def test_live_progress_reaches_the_jobs_page(
    app, client, big_forum, create_user, sign_in, job_worker
):
    sign_in(create_user(UserRole.ORGANISER))
    from tests.job_pages import start_job

    job_id = job_id_from(start_job(client, f'/forums/{big_forum.id}/invitations.pdf'))
    live = socketio.test_client(
        app, namespace='/jobs', flask_test_client=client, auth={'job_id': job_id}
    )
    assert live.is_connected('/jobs')
    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(e['state'] == 'done' for e in seen):
        seen += [e['args'][0] for e in live.get_received('/jobs') if e['name'] == 'job']
        time.sleep(0.05)
    assert seen[-1]['state'] == 'done'
    assert seen[-1]['result'] == f'/jobs/{job_id}/download'
    assert seen[-1]['progress'] == 60
    live.disconnect(namespace='/jobs')
    stranger = app.test_client()
    refused = socketio.test_client(
        app, namespace='/jobs', flask_test_client=stranger, auth={'job_id': job_id}
    )
    assert not refused.is_connected('/jobs')


def test_an_import_that_fails_half_way_leaves_nothing_and_says_why(
    app, client, create_forum, create_user, api_token, job_worker, monkeypatch
):
    forum = create_forum()
    rows = [['Họ và tên', 'Điểm cầu']] + [[f'Người Thứ {n:03d}', forum.venues[0].unit_code]
                                          for n in range(50)]  # fmt: skip

    def audit_breaks(*args, **kwargs):  # the rows are inserted when the audit entry is written
        raise OSError('disk full')

    monkeypatch.setattr('forum.delegates.services.record_change', audit_breaks)
    headers = api_token(create_user(UserRole.ORGANISER))
    response = client.post(
        f'/api/v1/forums/{forum.id}/delegates/import',
        data={'file': (io.BytesIO(csv_bytes(rows)), 'list.csv')},
        headers={**headers, **ASYNC},
    )
    job = wait_for_api_job(client, response.json['job'], headers)
    assert job['state'] == 'failed'
    assert 'OSError' in job['error']
    with app.app_context():
        assert db.session.scalar(select(func.count(Delegate.id))) == 0


def test_a_job_queued_twice_runs_once(app, big_forum, create_user, job_worker, monkeypatch):
    runs = []
    from forum.invitations import jobs as invitation_jobs

    real = invitation_jobs.render_invitations
    monkeypatch.setattr(
        invitation_jobs, 'render_invitations', lambda *a, **k: runs.append(1) or real(*a, **k)
    )
    with app.app_context():
        job = Job(kind='invitations_pdf', forum_id=big_forum.id, params={'file_name': 'a.pdf'})
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        for _ in range(3):
            send_job(job_id)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.get(Job, job_id).is_finished:
                break
        time.sleep(0.05)
    time.sleep(0.3)  # the other two copies have been taken by now
    with app.app_context():
        assert db.session.get(Job, job_id).state == JobState.DONE
    assert runs == [1]


def test_the_sweep_removes_expired_results_and_rescues_stuck_jobs(app, big_forum):
    now = utcnow()
    with app.app_context():
        expired = Job(kind='invitations_pdf', forum_id=big_forum.id, state=JobState.DONE,
                      expires_at=now - timedelta(minutes=1), file_content=b'x', file_size=1,
                      file_type='application/pdf')  # fmt: skip
        stuck = Job(kind='invitations_pdf', forum_id=big_forum.id, state=JobState.RUNNING,
                    attempts=1, params={'file_name': 'b.pdf'})  # fmt: skip
        hopeless = Job(kind='invitations_pdf', forum_id=big_forum.id, state=JobState.RUNNING,
                       attempts=2, params={'file_name': 'c.pdf'})  # fmt: skip
        db.session.add_all([expired, stuck, hopeless])
        db.session.flush()
        ids = expired.id, stuck.id, hopeless.id
        db.session.commit()
        long_ago = now - timedelta(seconds=app.config['JOB_STALE_SECONDS'] + 5)
        db.session.execute(update(Job).where(Job.id.in_(ids[1:])).values(updated_at=long_ago))
        db.session.commit()
    report = sweep_jobs(app)  # no worker yet: the rescued job waits in the queue
    assert (report['removed'], report['requeued'], report['failed']) == (1, 1, 1)
    worker = Worker(app, 1).start_in_background()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with app.app_context():
                if db.session.get(Job, ids[1]).is_finished:
                    break
            time.sleep(0.05)
    finally:
        worker.stop()
    with app.app_context():
        assert db.session.get(Job, ids[0]) is None
        assert db.session.get(Job, ids[1]).state == JobState.DONE  # run again, to the end
        gave_up = db.session.get(Job, ids[2])
        assert gave_up.state == JobState.FAILED and 'gián đoạn' in gave_up.error


def test_scripts_start_any_long_work_with_a_post(
    client, big_forum, create_user, api_token, job_worker
):
    organiser = api_token(create_user(UserRole.ORGANISER))
    url = f'/api/v1/forums/{big_forum.id}/jobs'
    started = client.post(url, json={'kind': 'invitations_pdf'}, headers=organiser)
    assert started.status_code == 202
    job = wait_for_api_job(client, started.json['job'], organiser)
    assert (job['state'], job['total'], job['file_name']) == ('done', 60, 'Giấy mời.pdf')
    export = client.post(url, json={'kind': 'delegates_export', 'format': 'csv'}, headers=organiser)
    job = wait_for_api_job(client, export.json['job'], organiser)
    assert 'Đại biểu Số 59' in client.get(job['result'], headers=organiser).data.decode('utf-8')

    moderator = api_token(create_user(UserRole.MODERATOR))
    refused = client.post(url, json={'kind': 'delegates_export'}, headers=moderator)
    assert refused.status_code == 403
    questions = client.post(url, json={'kind': 'questions_export'}, headers=moderator)
    assert wait_for_api_job(client, questions.json['job'], moderator)['state'] == 'done'
    secretary = api_token(create_user(UserRole.SECRETARY))
    draft = client.post(
        url, json={'kind': 'minutes_document', 'document': 'notice', 'format': 'docx'},
        headers=secretary,
    )  # fmt: skip
    assert wait_for_api_job(client, draft.json['job'], secretary)['file_name'].endswith('.docx')
    for body in ({'kind': 'nothing'}, {'kind': 'delegates_export', 'format': 'pdf'}, {}):
        assert client.post(url, json=body, headers=organiser).status_code == 422
    assert client.post(url, json={'kind': 'invitations_pdf', 'venue': 2**70},
                       headers=organiser).status_code == 422  # fmt: skip
