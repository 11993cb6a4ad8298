"""The delegate-list API: import with a dry run (CONTRACT.md), export, access, the OpenAPI doc."""

import io

import pytest
from sqlalchemy import func, select

from forum.auth.models import UserRole
from forum.delegates.models import Delegate
from forum.extensions import db
from tests.delegates.files import csv_bytes, xlsx_bytes
from tests.delegates.test_services import BAD_LIST, CORRECTED_LIST


def delegate_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Delegate.id)))


@pytest.fixture
def organiser_headers(create_user, api_token):
    return api_token(create_user(UserRole.ORGANISER))


def post_list(client, forum, headers, data, filename='danh-sach.csv', **form):
    return client.post(
        f'/api/v1/forums/{forum.id}/delegates/import',
        data={'file': (io.BytesIO(data), filename), **form},
        headers=headers,
    )


def test_a_dry_run_counts_and_writes_nothing(app, client, list_forum, organiser_headers):
    response = post_list(
        client, list_forum, organiser_headers, csv_bytes(CORRECTED_LIST), dry_run='1'
    )
    assert response.status_code == 200
    assert response.json == {'created': 7, 'updated': 0, 'unchanged': 0, 'errors': []}
    assert delegate_count(app) == 0


def test_dry_run_is_also_understood_in_the_query_string(app, client, list_forum, organiser_headers):
    response = client.post(
        f'/api/v1/forums/{list_forum.id}/delegates/import?dry_run=1',
        data={'file': (io.BytesIO(csv_bytes(CORRECTED_LIST)), 'a.csv')},
        headers=organiser_headers,
    )
    assert response.status_code == 200
    assert delegate_count(app) == 0


def test_an_import_then_the_same_list_again(app, client, list_forum, organiser_headers):
    data = xlsx_bytes(CORRECTED_LIST)
    first = post_list(client, list_forum, organiser_headers, data, 'danh-sach.xlsx')
    assert first.status_code == 200
    assert (first.json['created'], first.json['updated'], first.json['errors']) == (7, 0, [])
    second = post_list(client, list_forum, organiser_headers, data, 'danh-sach.xlsx')
    assert second.json == {'created': 0, 'updated': 0, 'unchanged': 7, 'errors': []}
    assert delegate_count(app) == 7


def test_any_problem_is_422_with_every_row_and_nothing_imported(
    app, client, list_forum, organiser_headers
):
    response = post_list(client, list_forum, organiser_headers, csv_bytes(BAD_LIST, 'utf-16'))
    assert response.status_code == 422
    body = response.json
    assert body['error']['code'] == 'import_invalid'
    assert [(e['row'], e['column']) for e in body['errors']] == [
        (6, 'Họ và tên'),
        (7, 'Điểm cầu'),
        (8, 'Email'),
        (9, 'Họ và tên'),
    ]
    assert all(set(e) == {'row', 'column', 'message'} for e in body['errors'])
    assert delegate_count(app) == 0


def test_an_unreadable_file_is_422_not_500(client, list_forum, organiser_headers):
    response = post_list(client, list_forum, organiser_headers, b'%PDF-1.4\x00\x01', 'a.pdf')
    assert response.status_code == 422
    assert response.json['errors'][0]['row'] is None


def test_a_request_without_a_file_is_refused_naming_the_field(
    client, list_forum, organiser_headers
):
    response = client.post(
        f'/api/v1/forums/{list_forum.id}/delegates/import',
        data={'dry_run': '1'},
        headers=organiser_headers,
    )
    assert response.status_code == 422
    assert 'file' in response.json['error']['details']['files']


def test_a_file_over_the_limit_is_413(app, client, list_forum, organiser_headers):
    app.config['DELEGATE_IMPORT_MAX_BYTES'] = 1024 * 1024
    response = post_list(client, list_forum, organiser_headers, b'x' * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json['error']['code'] == 'too_large'


@pytest.mark.parametrize('role', [UserRole.MODERATOR, UserRole.SECRETARY])
def test_only_organisers_import_and_export(client, list_forum, create_user, api_token, role):
    headers = api_token(create_user(role))
    assert post_list(client, list_forum, headers, csv_bytes(CORRECTED_LIST)).status_code == 403
    url = f'/api/v1/forums/{list_forum.id}/delegates/export.csv'
    assert client.get(url, headers=headers).status_code == 403


def test_an_operator_of_another_forum_gets_403(
    client, list_forum, create_forum, create_user, api_token
):
    other = create_forum(title='Hội nghị khác', unit_codes=['027'])
    headers = api_token(create_user(UserRole.OPERATOR, venues=other.venues[1:]))
    assert post_list(client, list_forum, headers, csv_bytes(CORRECTED_LIST)).status_code == 403


def test_unknown_forum_is_404_and_no_token_is_401(client, organiser_headers, list_forum):
    response = client.post(
        '/api/v1/forums/9999/delegates/import',
        headers=organiser_headers,
        data={'file': (io.BytesIO(b'x'), 'a.csv')},
    )
    assert response.status_code == 404
    assert post_list(client, list_forum, {}, csv_bytes(CORRECTED_LIST)).status_code == 401


def test_export_in_both_formats_and_per_bridge_point(
    client, list_forum, venue_by_code, organiser_headers
):
    post_list(client, list_forum, organiser_headers, csv_bytes(CORRECTED_LIST))
    base = f'/api/v1/forums/{list_forum.id}/delegates'
    xlsx = client.get(f'{base}/export.xlsx', headers=organiser_headers)
    assert xlsx.status_code == 200 and xlsx.data.startswith(b'PK')
    again = post_list(client, list_forum, organiser_headers, xlsx.data, 'export.xlsx')
    assert again.json == {'created': 0, 'updated': 0, 'unchanged': 7, 'errors': []}
    venue = venue_by_code['026']
    csv = client.get(f'{base}/export.csv?venue={venue.id}', headers=organiser_headers)
    assert csv.status_code == 200
    assert csv.mimetype == 'text/csv'
    lines = csv.data.decode('utf-8-sig').splitlines()
    assert len(lines) == 1 + 3
    missing = client.get(f'{base}/export.csv?venue=999999', headers=organiser_headers)
    assert missing.status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client):
    spec = client.get('/api/v1/openapi.json').json
    operation = spec['paths']['/api/v1/forums/{forum_id}/delegates/import']['post']
    body = operation['requestBody']['content']['multipart/form-data']['schema']
    fields = spec['components']['schemas'][body['$ref'].rsplit('/', 1)[-1]]['properties']
    assert fields['file']['format'] == 'binary'
    assert fields['dry_run']['type'] == 'boolean'
    assert {'200', '422'} <= set(operation['responses'])
    assert '/api/v1/forums/{forum_id}/delegates/export.xlsx' in spec['paths']
    assert '/api/v1/forums/{forum_id}/delegates/export.csv' in spec['paths']
