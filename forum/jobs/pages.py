"""For the domains' pages: offer a job (GET) and start it (POST), then follow it on its page."""

from collections.abc import Callable

from flask import abort, redirect, render_template, request, url_for

from forum.jobs.forms import StartJobForm
from forum.jobs.models import Job


def offer_or_start_job(*, title: str, description: str, start: Callable[[], Job], back: str):
    """GET: a page with the button that starts the job; POST: start it and show its page."""
    if request.method == 'POST':
        if not StartJobForm().validate_on_submit():
            abort(400)
        job = start()
        return redirect(url_for('jobs.show', job_id=job.id), 303)
    return render_template(
        'jobs/start.html', title=title, description=description, form=StartJobForm(), back=back
    )
