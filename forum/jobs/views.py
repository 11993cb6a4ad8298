"""A job's page (state, live progress, the download) and its file."""

from flask import Response, abort, redirect, render_template, request
from flask_login import current_user, login_required

from forum.downloads import content_disposition
from forum.jobs import bp
from forum.jobs.labels import job_title, unit_name
from forum.jobs.services import can_view_job, find_job

__all__ = ['bp']


def _visible_job_or_404(job_id: int):
    job = find_job(job_id)
    if job is None:
        abort(404)
    if not can_view_job(current_user, job):
        abort(403)
    return job


@bp.app_template_global('unit_name')
def _unit_name(unit: str) -> str:
    return unit_name(unit)


@bp.route('/jobs/<int:job_id>')
@login_required
def show(job_id: int):
    """The job's state and progress; once done, where it leads (a preview, say), if anywhere
    (``?stay=1`` keeps the job's own page)."""
    job = _visible_job_or_404(job_id)
    next_url = (job.params or {}).get('next')
    if job.is_finished and next_url and not request.args.get('stay'):
        return redirect(next_url)
    return render_template('jobs/show.html', job=job, title=job_title(job))


@bp.route('/jobs/<int:job_id>/download')
@login_required
def download(job_id: int):
    job = _visible_job_or_404(job_id)
    if not job.has_file:
        abort(404)
    return file_response(job)


def file_response(job, *, attachment: bool = True) -> Response:
    """The job's file, with its name (ASCII and UTF-8, RFC 6266)."""
    response = Response(job.file_content, mimetype=job.file_type)
    response.headers['Content-Disposition'] = content_disposition(
        job.file_name, 'attachment' if attachment else 'inline'
    )
    response.headers['Cache-Control'] = 'private, no-store'
    return response
