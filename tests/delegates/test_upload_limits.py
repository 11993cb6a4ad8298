"""Files crafted to cost a reader far more than their size are refused, naming the limit they
pass, and change nothing: refused on the request when a few kilobytes of them say so (nothing
stored, no job), else by the job's streaming checks or its child's memory and time limits."""

import io

import pytest
from sqlalchemy import func, select

from forum.auth.models import UserRole
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.jobs.models import Job
from forum.jobs.sandbox import LimitExceeded, run_limited
from tests.conftest import csrf_token_from
from tests.delegates import crafted_files as crafted
from tests.delegates.files import csv_bytes
from tests.delegates.test_services import CORRECTED_LIST


@pytest.fixture
def organiser_headers(create_user, api_token):
    return api_token(create_user(UserRole.ORGANISER))


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Delegate.id))),
            db.session.scalar(select(func.count(Job.id))),
        )


def post_list(client, forum, headers, data, filename):
    return client.post(
        f'/api/v1/forums/{forum.id}/delegates/import',
        data={'file': (io.BytesIO(data), filename)},
        headers=headers,
    )


def refusal(response) -> str:
    assert response.status_code == 422, response.get_data(as_text=True)
    [problem] = response.json['errors']
    assert (problem['row'], problem['column']) == (None, None)
    return problem['message']


REFUSED_ON_THE_REQUEST = {
    # the 112 KB workbook: a million cells in one row
    'a million cells': (crafted.a_million_cells_in_one_row, 'xlsx', 'tối đa 100 lần'),
    'a declared million strings': (
        lambda: crafted.many_shared_strings(10, declared=1_000_000),
        'xlsx',
        'hơn 200000 chuỗi',
    ),
    # the 176 KB workbook: a million (identical) shared strings
    'a million strings': (
        lambda: crafted.many_shared_strings(10**6, distinct=False),
        'xlsx',
        'tối đa 100 lần',
    ),
    'a sheet declared to row 1,048,576': (
        lambda: crafted.declared_dimension(b'A1:L1048576'),
        'xlsx',
        'tối đa 60000 dòng',
    ),
    'a sheet declared 16,384 columns wide': (
        lambda: crafted.declared_dimension(b'A1:XFD9'),
        'xlsx',
        'tối đa 1024 cột',
    ),
    'fifteen hundred parts': (crafted.too_many_parts, 'xlsx', 'tối đa 1000'),
    # the CSV: 2.5 million short lines
    'millions of lines': (crafted.millions_of_lines, 'csv', 'hơn 60000 dòng'),
    'a 200 KB line': (crafted.one_long_line, 'csv', 'dài hơn 64 KB'),
}


@pytest.mark.parametrize('case', REFUSED_ON_THE_REQUEST)
def test_a_costly_file_is_refused_before_it_is_stored(
    app, client, list_forum, organiser_headers, case
):
    build, extension, limit = REFUSED_ON_THE_REQUEST[case]
    before = counts(app)
    message = refusal(post_list(client, list_forum, organiser_headers, build(), f'ds.{extension}'))
    assert limit in message
    assert counts(app) == before  # no delegate, and no job holding the file


REFUSED_BY_THE_JOB = {
    'a wide row whose dimension lies': (crafted.a_wide_row_that_packs_like_data, 'hơn 1024 ô'),
    'a cell on row 1,000,000': (crafted.a_cell_far_down, 'hơn 60000 dòng'),
    'undeclared strings': (
        lambda: crafted.many_shared_strings(200_001),
        'hơn 200000 chuỗi văn bản',
    ),
    'an entity bomb': (crafted.an_entity_bomb, 'DOCTYPE'),
}


@pytest.mark.parametrize('case', REFUSED_BY_THE_JOB)
def test_what_only_reading_finds_is_refused_by_the_streaming_checks(
    app, client, list_forum, organiser_headers, case
):
    build, limit = REFUSED_BY_THE_JOB[case]
    response = post_list(client, list_forum, organiser_headers, build(), 'ds.xlsx')
    assert limit in refusal(response)
    assert counts(app)[0] == 0


def test_the_upload_page_names_the_limit(app, client, sign_in, list_forum, create_user):
    sign_in(create_user(UserRole.ORGANISER))
    page = client.get(f'/forums/{list_forum.id}/delegates/import').get_data(as_text=True)
    token = csrf_token_from(page)
    response = client.post(
        f'/forums/{list_forum.id}/delegates/import',
        data={'csrf_token': token, 'file': (io.BytesIO(crafted.millions_of_lines()), 'ds.csv')},
    )
    assert response.status_code == 422
    assert 'Tệp có hơn 60000 dòng' in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_an_import_that_runs_out_of_time_is_refused_and_imports_nothing(
    app, client, list_forum, organiser_headers
):
    app.config['IMPORT_SECONDS'] = 0.001
    response = post_list(client, list_forum, organiser_headers, csv_bytes(CORRECTED_LIST), 'a.csv')
    assert 'cần hơn 0 giây' in refusal(response)
    assert counts(app)[0] == 0
    app.config['IMPORT_SECONDS'] = 60
    again = post_list(client, list_forum, organiser_headers, csv_bytes(CORRECTED_LIST), 'a.csv')
    assert again.status_code == 200 and again.json['created'] == 7


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _sleep(seconds: float) -> str:
    import time

    time.sleep(seconds)
    return 'woke'


def _refuse(message: str):
    raise ValueError(message)


def test_the_child_is_held_to_its_memory():
    assert run_limited(_allocate, 50, memory_mb=512, seconds=30) == 50 * 1024 * 1024
    with pytest.raises(LimitExceeded, match='hơn 512 MB'):
        run_limited(_allocate, 1024, memory_mb=512, seconds=30)


def test_the_child_is_held_to_its_time_and_its_errors_come_back():
    assert run_limited(_sleep, 0, memory_mb=512, seconds=30) == 'woke'
    with pytest.raises(LimitExceeded, match='hơn 1 giây'):
        run_limited(_sleep, 30, memory_mb=512, seconds=1)
    with pytest.raises(ValueError, match='sai'):
        run_limited(_refuse, 'sai', memory_mb=512, seconds=30)
