"""Following a page's job as a browser does: its page, until it is done, then where it leads."""

import re
import time


def job_id_from(response) -> int:
    """The id of the job a response redirected to (``/jobs/<id>``)."""
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    match = re.search(r'/jobs/(\d+)$', response.headers['Location'])
    assert match, response.headers['Location']
    return int(match.group(1))


def wait_for_job_page(client, job_id: int, timeout: float = 30) -> str:
    """The job's page once the job is done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(f'/jobs/{job_id}?stay=1').get_data(as_text=True)
        state = re.search(r'data-state="(\w+)"', page).group(1)
        if state in ('done', 'failed'):
            return page
        assert time.monotonic() < deadline, f'job {job_id} still {state}'
        time.sleep(0.05)


def follow_job(client, response, timeout: float = 30):
    """After a 303 to a job: wait for it, then open the page it leads to (or its page)."""
    job_id = job_id_from(response)
    page = wait_for_job_page(client, job_id, timeout)
    next_url = re.search(r'data-next="([^"]+)"', page)
    if next_url:
        return client.get(next_url.group(1).replace('&amp;', '&'))
    return client.get(f'/jobs/{job_id}')


def start_job(client, url: str, **query):
    """Press a job's button (POST with the page's CSRF token): the 303 to the job's page."""
    from tests.conftest import csrf_token_from

    offer = client.get(url, query_string=query)
    assert offer.status_code == 200, offer.status_code
    token = csrf_token_from(offer.get_data(as_text=True))
    return client.post(url, query_string=query, data={'csrf_token': token})


def download_job_file(client, url: str, timeout: float = 30, **query):
    """Start a job from its button, wait for it, and download its file."""
    job_id = job_id_from(start_job(client, url, **query))
    page = wait_for_job_page(client, job_id, timeout)
    assert 'data-state="done"' in page, page
    return client.get(f'/jobs/{job_id}/download')
