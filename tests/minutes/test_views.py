"""The secretariat's page: who may open it, autosave, previews and Word files, issuing, and the
issued PDFs downloaded as issued."""

import hashlib
import io

import docx
import pypdf
import pytest

from forum.extensions import db
from forum.forums.models import Forum, ForumStatus
from forum.minutes.models import IssuedDocument
from tests.conftest import csrf_token_from
from tests.invitations.pdfs import page_texts
from tests.job_pages import download_job_file, follow_job

DRAFT = {
    'conclusions': 'Tọa đàm thành công.\n- Đồng chí Đặng Ưng Ơn tiếp thu ý kiến.',
    'minutes_number': '05/BB-UBND',
    'notice_number': '12/TB-UBND',
    'chair_name': 'Trần Đức Quý',
    'chair_title': 'Phó Chủ tịch UBND tỉnh',
    'secretary_name': 'Nguyễn Thị Hồng Nhung',
    'recipients': 'Thường trực Tỉnh ủy (b/c)',
    'started_at': '08:05',
    'ended_at': '11:40',
    'tasks': [
        {
            'body': 'Sở Thông tin và Truyền thông',
            'content': 'Tổng hợp ý kiến',
            'due_on': '2023-06-15',
        }
    ],
}


@pytest.fixture
def secretariat(client, sign_in, finished_forum):
    """The secretary signed in on the page; ``autosave(payload)`` posts as the page's script."""
    sign_in(finished_forum.secretary)
    page_url = f'/forums/{finished_forum.forum_id}/minutes'
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))

    class Secretariat:
        url = page_url
        csrf = token

        @staticmethod
        def autosave(payload, *, headers=None):
            headers = {'X-CSRFToken': token} if headers is None else headers
            return client.post(f'{page_url}/draft', json=payload, headers=headers)

        @staticmethod
        def issue(kind):
            """Press "Ban hành": where its job leads once done (a redirect to the page)."""
            sent = client.post(f'{page_url}/issue/{kind}', data={'csrf_token': token})
            return follow_job(client, sent)

    return Secretariat


@pytest.mark.parametrize('role', ['operator', 'moderator'])
def test_operators_and_moderators_may_not_open_the_page(client, sign_in, finished_forum, role):
    sign_in(getattr(finished_forum, role))

    url = f'/forums/{finished_forum.forum_id}/minutes'
    assert client.get(url).status_code == 403
    assert client.get(f'{url}/preview/minutes.pdf').status_code == 403
    assert client.post(f'{url}/draft', json=DRAFT).status_code in (400, 403)


def test_an_operator_gets_403_even_with_a_valid_token(client, sign_in, finished_forum):
    sign_in(finished_forum.operator)
    token = csrf_token_from(client.get('/forums').get_data(as_text=True))

    response = client.post(f'/forums/{finished_forum.forum_id}/minutes/draft', json=DRAFT,
                           headers={'X-CSRFToken': token})  # fmt: skip

    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, finished_forum):
    response = client.get(f'/forums/{finished_forum.forum_id}/minutes')

    assert response.status_code == 302 and '/login' in response.headers['Location']


def test_the_page_opens_with_the_forums_chair_filled_in(client, secretariat):
    html = client.get(secretariat.url).get_data(as_text=True)

    assert 'Biên bản và thông báo kết luận' in html
    assert 'value="Trần Đức Quý"' in html
    assert 'Hạn ban hành thông báo kết luận: ngày 30 tháng 5 năm 2023' in html
    assert 'Chưa lưu lần nào.' in html
    assert 'js/minutes-draft.js' in html


def test_autosave_saves_and_says_when(client, secretariat):
    response = secretariat.autosave({**DRAFT, 'lock_version': 0})

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body['changed'] and body['lock_version'] == 1 and body['revision'] == 1
    assert len(body['saved_at_text']) == 5 and body['saved_at_text'][2] == ':'
    assert 'Bản nháp 1' in body['history_html']
    html = client.get(secretariat.url).get_data(as_text=True)
    assert 'Đã lưu lúc' in html and 'Tọa đàm thành công.' in html
    assert 'value="Sở Thông tin và Truyền thông"' in html and 'value="2023-06-15"' in html


def test_autosave_needs_the_csrf_token(secretariat):
    response = secretariat.autosave(DRAFT, headers={})

    assert response.status_code == 400


@pytest.mark.parametrize(
    ('payload', 'field'),
    [
        ({**DRAFT, 'started_at': 'tám giờ'}, 'started_at'),
        ({**DRAFT, 'tasks': [{'body': 'Sở', 'due_on': '15/6/2023'}]}, 'tasks-0-due_on'),
        ({**DRAFT, 'conclusions': ['không phải văn bản']}, 'conclusions'),
        ({**DRAFT, 'lock_version': 'một'}, None),
        (['không phải đối tượng'], None),
    ],
)
def test_bad_input_is_a_422_with_a_message(secretariat, payload, field):
    response = secretariat.autosave(payload)

    assert response.status_code == 422
    error = response.get_json()['error']
    assert error['message'] and error.get('details', {}).get('field') == field


def test_a_body_that_is_not_json_is_a_422(client, secretariat):
    response = client.post(f'{secretariat.url}/draft', data='conclusions=x',
                           headers={'X-CSRFToken': secretariat.csrf})  # fmt: skip

    assert response.status_code == 422
    assert response.get_json()['error']['message']


def test_a_save_from_an_outdated_page_is_a_409(secretariat):
    assert secretariat.autosave({**DRAFT, 'lock_version': 0}).status_code == 200

    response = secretariat.autosave({**DRAFT, 'conclusions': 'Khác', 'lock_version': 0})

    assert response.status_code == 409
    assert 'Tải lại trang' in response.get_json()['error']['message']


def test_the_form_saves_without_javascript(client, secretariat):
    form = {
        'csrf_token': secretariat.csrf,
        'lock_version': '0',
        **{name: value for name, value in DRAFT.items() if name != 'tasks'},
        'tasks-0-body': 'UBND thành phố Hà Giang',
        'tasks-0-content': 'Kiện toàn tổ truyền thông',
        'tasks-0-due_on': '',
        'tasks-1-body': '',
        'tasks-1-content': '',
        'tasks-1-due_on': '',
    }

    response = client.post(secretariat.url, data=form)

    assert response.status_code == 302
    html = client.get(secretariat.url).get_data(as_text=True)
    assert 'Đã lưu bản nháp.' in html and 'value="UBND thành phố Hà Giang"' in html


def test_the_form_shows_what_was_wrong(client, secretariat):
    form = {'csrf_token': secretariat.csrf, 'lock_version': '0', 'ended_at': '25:00'}

    response = client.post(secretariat.url, data=form)

    assert response.status_code == 422
    assert 'Giờ không hợp lệ' in response.get_data(as_text=True)


def test_previews_and_word_files_of_both_documents(client, secretariat):
    secretariat.autosave(DRAFT)

    minutes = download_job_file(client, f'{secretariat.url}/preview/minutes.pdf')
    download = download_job_file(client, f'{secretariat.url}/preview/notice.pdf')
    word = download_job_file(client, f'{secretariat.url}/preview/notice.docx')

    assert minutes.mimetype == 'application/pdf'
    assert 'bien-ban-' in minutes.headers['Content-Disposition']
    assert 'BIÊN BẢN' in page_texts(minutes.data)[0]
    assert download.headers['Content-Disposition'].startswith('attachment')
    assert 'THÔNG BÁO' in page_texts(download.data)[0]
    assert word.headers['Content-Disposition'].startswith('attachment')
    text = '\n'.join(p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs)
    assert 'THÔNG BÁO' in text and 'Đồng chí Đặng Ưng Ơn tiếp thu ý kiến.' in text


def test_issued_pdfs_stay_downloadable_as_issued(app, client, secretariat, finished_forum):
    secretariat.autosave(DRAFT)
    response = secretariat.issue('minutes')
    assert response.status_code == 302
    page = client.get(secretariat.url).get_data(as_text=True)
    assert 'Đã ban hành biên bản số 05/BB-UBND, phiên bản 1.' in page

    with app.app_context():
        first = db.session.query(IssuedDocument).one()
        first_id, first_sha = first.id, first.sha256
        assert db.session.get(Forum, finished_forum.forum_id).status == (ForumStatus.MINUTES_ISSUED)
    assert first_sha in page
    issued_url = f'{secretariat.url}/issued/{first_id}.pdf'
    v1 = client.get(issued_url)
    assert v1.status_code == 200 and hashlib.sha256(v1.data).hexdigest() == first_sha
    assert v1.headers['ETag'] == f'"{first_sha}"'
    assert 'bien-ban-05-BB-UBND-v1.pdf' in v1.headers['Content-Disposition']

    again = secretariat.issue('minutes')  # nothing changed since version 1
    assert 'đã ban hành (phiên bản 1)' in client.get(again.headers['Location']).get_data(
        as_text=True
    )
    lock_version = secretariat.autosave(DRAFT).get_json()['lock_version']
    edited = secretariat.autosave({**DRAFT, 'conclusions': 'Kết luận đã sửa.',
                                   'lock_version': lock_version})  # fmt: skip
    assert edited.get_json()['revision'] == 2
    secretariat.issue('minutes')

    assert client.get(issued_url).data == v1.data
    with app.app_context():
        second = db.session.query(IssuedDocument).filter_by(version=2).one()
        second_id, second_sha = second.id, second.sha256
    v2 = client.get(f'{secretariat.url}/issued/{second_id}.pdf')
    assert second_sha != first_sha and hashlib.sha256(v2.data).hexdigest() == second_sha
    assert 'Kết luận đã sửa.' in ' '.join(page_texts(v2.data))
    assert len(pypdf.PdfReader(io.BytesIO(v2.data)).pages) >= 2


def test_an_issued_document_of_another_forum_is_not_found(client, secretariat, create_forum):
    other = create_forum(title='Hội nghị khác')
    secretariat.autosave(DRAFT)
    secretariat.issue('notice')

    assert client.get(f'/forums/{other.id}/minutes/issued/1.pdf').status_code == 404
    assert client.get(f'{secretariat.url}/issued/999.pdf').status_code == 404


def test_a_forum_still_live_issues_nothing(app, client, secretariat, finished_forum):
    with app.app_context():
        db.session.get(Forum, finished_forum.forum_id).status = ForumStatus.LIVE
        db.session.commit()
    secretariat.autosave(DRAFT)

    response = secretariat.issue('minutes')

    html = client.get(response.headers['Location']).get_data(as_text=True)
    assert 'Hội nghị chưa kết thúc' in html
    with app.app_context():
        assert db.session.query(IssuedDocument).count() == 0


def test_the_forum_page_shows_the_notice_deadline_until_the_notice_is_issued(
    client, secretariat, finished_forum
):
    forum_page = f'/forums/{finished_forum.forum_id}'
    html = client.get(forum_page).get_data(as_text=True)
    assert 'data-testid="notice-deadline"' in html
    assert 'Hạn ban hành thông báo kết luận: ngày 30 tháng 5 năm 2023' in html
    assert 'chưa trừ ngày nghỉ lễ' in html
    assert f'href="/forums/{finished_forum.forum_id}/minutes"' in html

    secretariat.autosave(DRAFT)
    secretariat.issue('notice')

    assert 'data-testid="notice-deadline"' not in client.get(forum_page).get_data(as_text=True)


def test_operators_see_the_deadline_but_no_link(client, sign_in, finished_forum, app):
    from forum.auth.models import User
    from forum.tiers.models import Venue

    with app.app_context():
        operator = db.session.get(User, finished_forum.operator.id)
        operator.venues.append(db.session.get(Venue, finished_forum.venue_ids['024']))
        db.session.commit()
    sign_in(finished_forum.operator)

    html = client.get(f'/forums/{finished_forum.forum_id}').get_data(as_text=True)

    assert 'data-testid="notice-deadline"' in html
    assert f'/forums/{finished_forum.forum_id}/minutes"' not in html
