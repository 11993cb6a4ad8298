"""The API's long endpoints hand their work to the job worker."""

import pytest


@pytest.fixture(autouse=True)
def _jobs_run(job_worker):
    """The worker runs during every API test."""
