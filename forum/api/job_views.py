"""Jobs over the API: their state and result, and the way long endpoints answer with them.

An endpoint whose work is heavy runs it as a job. By default it waits for the job (other
requests go on meanwhile) and answers as it always did; with ``Prefer: respond-async`` it
answers at once ``202 {"job": URL}``, and ``GET /api/v1/jobs/{id}`` tells how far it got.
"""

from flask import jsonify, request, url_for

from forum.api import bp
from forum.api.access import require_staff
from forum.api.schemas import ErrorSchema
from forum.errors import ApiError
from forum.jobs.models import Job, JobState
from forum.jobs.schemas import JobSchema
from forum.jobs.services import can_view_job, find_job, job_payload, wait_for_job
from forum.jobs.views import file_response


def _result_url(job: Job) -> str:
    return url_for('api.job_result', job_id=job.id, _external=False)


def job_body(job: Job) -> dict:
    """The job as ``GET /api/v1/jobs/{id}`` shows it."""
    return job_payload(job, url_for_result=_result_url)


def prefers_async() -> bool:
    """Whether the caller asked for ``202`` rather than waiting (RFC 7240)."""
    preferences = request.headers.get('Prefer', '').lower().replace(' ', '').split(',')
    return 'respond-async' in preferences


def job_started(job: Job):
    """``202 {"job": URL, "id"}`` with the URL in ``Location`` too."""
    url = url_for('api.get_job', job_id=job.id)
    response = jsonify({'job': url, 'id': job.id})
    response.status_code = 202
    response.headers['Location'] = url
    return response


def answer_with(job: Job, respond, on_failure=None):
    """Answer a long request: 202 at once if asked, else wait and ``respond(job)``; a job that
    failed answers ``on_failure(job)`` or 422 with its reason; one still running at the wait's
    end answers 202."""
    if prefers_async():
        return job_started(job)
    job = wait_for_job(job.id)
    if job.state == JobState.DONE:
        return respond(job)
    if job.state == JobState.FAILED:
        if on_failure is not None:
            return on_failure(job)
        raise ApiError(422, job.error, code='job_failed')
    return job_started(job)


def _visible_job(job_id: int) -> Job:
    user = require_staff()
    job = find_job(job_id)
    if job is None:
        raise ApiError(404, f'There is no job {job_id}.')
    if not can_view_job(user, job):
        raise ApiError(403, 'This job is not yours.')
    return job


@bp.get('/jobs/<int:job_id>')
@bp.response(200, JobSchema)
@bp.alt_response(404, schema=ErrorSchema, description='No such job (or it expired).')
@bp.alt_response(403, schema=ErrorSchema, description='Somebody else’s job.')
def get_job(job_id):
    """A job: ``queued``, ``running`` (with progress of total), ``done`` (with the result's
    URL) or ``failed`` (with the reason)."""
    return job_body(_visible_job(job_id))


@bp.get('/jobs/<int:job_id>/result')
@bp.response(200, {'type': 'string', 'format': 'binary'}, description='The file the job made.')
@bp.alt_response(404, schema=ErrorSchema, description='No such job, or no file (yet).')
def job_result(job_id):
    """The file a finished job made (kept for a day)."""
    job = _visible_job(job_id)
    if not job.has_file:
        raise ApiError(404, f'Job {job_id} has no file (state: {job.state.value}).')
    return file_response(job)
