"""The organisers' delegate pages: the list, upload → preview → import, export, access."""

import io
import re

import pytest
from sqlalchemy import func, select

from forum.auth.models import UserRole
from forum.delegates.models import Delegate
from forum.extensions import db
from tests.conftest import csrf_token_from
from tests.delegates.files import csv_bytes
from tests.delegates.test_services import BAD_LIST, CORRECTED_LIST
from tests.job_pages import download_job_file, follow_job


def delegate_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Delegate.id)))


def hidden_fields(html: str) -> dict[str, str]:
    form = html[html.index('data-testid="confirm-form"') :]
    return dict(re.findall(r'<input [^>]*?name="([^"]+)" type="hidden" value="([^"]*)"', form))


@pytest.fixture
def organiser(create_user, sign_in):
    user = create_user(UserRole.ORGANISER)
    sign_in(user)
    return user


def upload(client, forum, data, filename='danh-sach.csv'):
    """Upload a list; the preview page its job leads to (or the upload page, refused)."""
    url = f'/forums/{forum.id}/delegates/import'
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    sent = client.post(url, data={'file': (io.BytesIO(data), filename), 'csrf_token': token})
    return follow_job(client, sent) if sent.status_code == 303 else sent


def confirm(client, forum, fields):
    """Press "Nhập": the page the import job leads to (or the refusal)."""
    sent = client.post(f'/forums/{forum.id}/delegates/import/confirm', data=fields)
    return follow_job(client, sent) if sent.status_code == 303 else sent


# The list --------------------------------------------------------------------------------------


def test_the_forum_page_links_to_its_delegates(client, list_forum, create_user, sign_in):
    sign_in(create_user(UserRole.MODERATOR))
    page = client.get(f'/forums/{list_forum.id}').get_data(as_text=True)
    assert f'/forums/{list_forum.id}/delegates"' in page


def test_the_list_searches_without_accents_and_filters_by_bridge_point(
    client, list_forum, venue_by_code, create_delegate, organiser
):
    create_delegate(list_forum, 'Nguyễn Thị Thảo', venue=venue_by_code['00688'])
    create_delegate(list_forum, 'Nguyễn Thị Thanh', venue=venue_by_code['026'])
    create_delegate(list_forum, 'Vàng Mí Sử', venue=venue_by_code['00742'])
    url = f'/forums/{list_forum.id}/delegates'
    page = client.get(url).get_data(as_text=True)
    assert page.index('Vàng Mí Sử') < page.index('Nguyễn Thị Thanh') < page.index('Nguyễn Thị Thảo')
    found = client.get(url, query_string={'q': 'nguyen thi th'}).get_data(as_text=True)
    assert 'Nguyễn Thị Thảo' in found and 'Nguyễn Thị Thanh' in found and 'Vàng Mí Sử' not in found
    at_026 = client.get(url, query_string={'venue': venue_by_code['026'].id}).get_data(as_text=True)
    assert 'Nguyễn Thị Thanh' in at_026 and 'Nguyễn Thị Thảo' not in at_026
    assert 'Không có đại biểu nào khớp' in client.get(url, query_string={'q': 'zzz'}).get_data(
        as_text=True
    )


def test_the_list_is_paginated(app, client, list_forum, organiser):
    rows = [['Họ và tên', 'Điểm cầu']] + [[f'Người Thứ {n:03d}', '026'] for n in range(120)]
    with app.app_context():
        from forum.delegates.services import import_delegates
        from forum.forums.models import Forum

        import_delegates(
            db.session.get(Forum, list_forum.id), csv_bytes(rows), 'x.csv', dry_run=False
        )
        db.session.commit()
    url = f'/forums/{list_forum.id}/delegates'
    first = client.get(url).get_data(as_text=True)
    assert first.count('data-delegate-id=') == 50
    assert 'data-testid="delegate-total">120<' in first
    third = client.get(url, query_string={'page': 3}).get_data(as_text=True)
    assert third.count('data-delegate-id=') == 20


def test_an_operator_sees_only_the_delegates_of_their_bridge_points(
    client, list_forum, venue_by_code, create_delegate, create_user, sign_in
):
    create_delegate(list_forum, 'Nguyễn Thị Thảo', venue=venue_by_code['00688'])
    create_delegate(list_forum, 'Vàng Mí Sử', venue=venue_by_code['00742'])
    sign_in(create_user(UserRole.OPERATOR, venues=[venue_by_code['00742']]))
    page = client.get(f'/forums/{list_forum.id}/delegates').get_data(as_text=True)
    assert 'Vàng Mí Sử' in page and 'Nguyễn Thị Thảo' not in page
    assert 'Nhập danh sách' not in page
    assert client.get(f'/forums/{list_forum.id}/delegates/import').status_code == 403
    assert client.get(f'/forums/{list_forum.id}/delegates/export.csv').status_code == 403


def test_moderators_may_look_but_not_import_or_export(client, list_forum, create_user, sign_in):
    sign_in(create_user(UserRole.MODERATOR))
    assert client.get(f'/forums/{list_forum.id}/delegates').status_code == 200
    assert client.get(f'/forums/{list_forum.id}/delegates/import').status_code == 403
    assert client.get(f'/forums/{list_forum.id}/delegates/export.xlsx').status_code == 403
    response = client.post(f'/forums/{list_forum.id}/delegates/import/confirm', data={})
    assert response.status_code in (400, 403)


# Upload, preview, import -----------------------------------------------------------------------


def test_an_organiser_previews_then_imports_a_list(app, client, list_forum, organiser):
    preview = upload(client, list_forum, csv_bytes(CORRECTED_LIST, 'utf-16'))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'data-testid="count-created">7<' in html
    assert html.count('data-action="create"') == 7
    assert 'Nguyễn Thị Thảo' in html and 'Phường Quang Trung' in html
    assert 'Họ và tên, Chức vụ, Đơn vị, Điểm cầu, Email, Số điện thoại' in html
    assert delegate_count(app) == 0

    fields = hidden_fields(html)
    assert set(fields) == {'csrf_token', 'token', 'expected_created', 'expected_updated'}
    response = confirm(client, list_forum, fields)
    assert response.status_code == 302
    assert response.headers['Location'].endswith(f'/forums/{list_forum.id}/delegates')
    assert delegate_count(app) == 7
    listing = client.get(response.headers['Location']).get_data(as_text=True)
    assert 'Đã nhập danh sách: 7 đại biểu mới, 0 cập nhật, 0 không đổi.' in listing

    again = confirm(client, list_forum, fields)  # the same "Nhập" twice: nothing more
    assert again.status_code in (302, 409)
    assert delegate_count(app) == 7


def test_a_flawed_list_shows_every_problem_and_keeps_nothing(app, client, list_forum, organiser):
    response = upload(client, list_forum, csv_bytes(BAD_LIST, 'utf-8-sig', ';'))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = html[html.index('data-testid="import-errors"') :]
    rows = re.findall(r'<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', errors)
    assert [(row, column) for row, column, _message in rows] == [
        ('6', 'Họ và tên'),
        ('7', 'Điểm cầu'),
        ('8', 'Email'),
        ('9', 'Họ và tên'),
    ]
    assert 'đã có ở dòng 3' in rows[3][2]
    assert 'data-testid="confirm-form"' not in html
    assert 'data-testid="upload-form"' in html
    assert delegate_count(app) == 0


def test_an_unreadable_file_is_explained_on_the_page(client, list_forum, organiser):
    response = upload(client, list_forum, b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(64), 'a.xls')
    assert response.status_code == 422
    assert '.xls' in response.get_data(as_text=True)


def test_no_file_chosen_is_a_form_error(client, list_forum, organiser):
    url = f'/forums/{list_forum.id}/delegates/import'
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={'csrf_token': token})
    assert response.status_code == 422
    assert 'Chọn tệp danh sách đại biểu.' in response.get_data(as_text=True)


def test_another_organisers_preview_cannot_be_imported(app, list_forum, create_user):
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        user = create_user(UserRole.ORGANISER)
        token = csrf_token_from(client.get('/login').get_data(as_text=True))
        client.post(
            '/login',
            data={'email': user.email, 'password': 'correct horse 42', 'csrf_token': token},
        )
    fields = hidden_fields(
        upload(first, list_forum, csv_bytes(CORRECTED_LIST)).get_data(as_text=True)
    )
    second_csrf = csrf_token_from(
        second.get(f'/forums/{list_forum.id}/delegates/import').get_data(as_text=True)
    )
    response = confirm(second, list_forum, {**fields, 'csrf_token': second_csrf})
    assert response.status_code == 302
    assert response.headers['Location'].endswith('/delegates/import')
    assert delegate_count(app) == 0


def test_a_tampered_token_finds_nothing(app, client, list_forum, organiser):
    fields = hidden_fields(
        upload(client, list_forum, csv_bytes(CORRECTED_LIST)).get_data(as_text=True)
    )
    for token in ('../../secret_key', str(int(fields['token']) + 1000), '', str(2**62)):
        response = confirm(client, list_forum, {**fields, 'token': token})
        assert response.status_code == 302
    # A number no column holds is refused at the boundary, naming the field.
    response = confirm(client, list_forum, {**fields, 'token': str(2**70)})
    assert response.status_code == 422
    assert '«token»' in response.get_data(as_text=True)
    assert delegate_count(app) == 0


def test_a_list_changed_since_the_preview_is_shown_again(
    app, client, list_forum, organiser, create_delegate, venue_by_code
):
    fields = hidden_fields(
        upload(client, list_forum, csv_bytes(CORRECTED_LIST)).get_data(as_text=True)
    )
    create_delegate(list_forum, 'Vàng Mí Sử', venue=venue_by_code['00742'])
    response = confirm(client, list_forum, fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'data-testid="import-warning"' in html
    assert 'data-testid="count-created">6<' in html
    assert delegate_count(app) == 1
    response = confirm(client, list_forum, hidden_fields(html))
    assert response.status_code == 302
    assert delegate_count(app) == 7


def test_a_file_over_the_size_limit_gets_a_clear_message(app, client, list_forum, organiser):
    app.config['DELEGATE_IMPORT_MAX_BYTES'] = 1024 * 1024
    response = upload(client, list_forum, b'Ho va ten,Diem cau\n' + b'x' * (2 * 1024 * 1024))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert 'Tệp lớn quá 1 MB' in html
    assert 'data-testid="upload-form"' in html


# Export ----------------------------------------------------------------------------------------


def test_an_organiser_downloads_the_list_as_xlsx_and_csv(
    app, client, list_forum, venue_by_code, create_delegate, organiser
):
    create_delegate(list_forum, 'Nguyễn Thị Thảo', venue=venue_by_code['00688'])
    create_delegate(list_forum, 'Vàng Mí Sử', venue=venue_by_code['00742'])
    xlsx = download_job_file(client, f'/forums/{list_forum.id}/delegates/export.xlsx')
    assert xlsx.status_code == 200
    assert xlsx.mimetype.endswith('spreadsheetml.sheet')
    assert f'dai-bieu-{list_forum.id}.xlsx' in xlsx.headers['Content-Disposition']
    assert xlsx.data.startswith(b'PK')
    venue = venue_by_code['00742']
    csv = download_job_file(client, f'/forums/{list_forum.id}/delegates/export.csv', venue=venue.id)
    assert f'dai-bieu-{list_forum.id}-00742.csv' in csv.headers['Content-Disposition']
    text = csv.data.decode('utf-8')
    assert text.startswith('\ufeffSTT,Họ và tên')
    assert 'Vàng Mí Sử' in text and 'Nguyễn Thị Thảo' not in text
    assert client.get(f'/forums/{list_forum.id}/delegates/export.csv?venue=0').status_code == 404
