"""The live queue's pages: who may open the moderators' desk, the big screen and a bridge point's
page; the delegate's part of their own page; the names setting; the XLSX and CSV exports."""

import csv
import html
import io
import re
import time
from datetime import datetime

import pytest
from openpyxl import load_workbook

from forum.auth.models import UserRole
from forum.extensions import db, socketio
from forum.forums.models import Forum, ForumStatus
from forum.live import NAMESPACE
from tests.conftest import DEFAULT_PASSWORD, csrf_token_from
from tests.job_pages import download_job_file


@pytest.fixture
def browser_as(app):
    """A separate browser (test client) signed in as ``user``."""

    def sign_in(user):
        other = app.test_client()
        token = csrf_token_from(other.get('/login').get_data(as_text=True))
        form = {'email': user.email, 'password': DEFAULT_PASSWORD, 'csrf_token': token}
        assert other.post('/login', data=form).status_code == 302
        return other

    return sign_in


@pytest.fixture
def outsider(create_forum, create_user):
    """An operator of a bridge point of another forum."""
    other = create_forum(title='Hội nghị khác', unit_codes=['026'])
    venue = next(v for v in other.venues if v.unit_code == '026')
    return create_user(UserRole.OPERATOR, venues=[venue])


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# Who may open which page ---------------------------------------------------------------------


def test_the_moderators_desk_is_for_moderators_and_organisers(
    hall, client, browser_as, create_user
):
    url = f'/forums/{hall.forum.id}/moderation'
    assert browser_as(hall.moderator).get(url).status_code == 200
    assert browser_as(create_user(UserRole.ORGANISER)).get(url).status_code == 200
    assert browser_as(create_user(UserRole.ADMIN)).get(url).status_code == 200
    assert browser_as(hall.operator).get(url).status_code == 403
    assert browser_as(create_user(UserRole.SECRETARY)).get(url).status_code == 403
    assert client.get(url).status_code == 302  # to the sign-in page
    assert browser_as(hall.moderator).get('/forums/9999/moderation').status_code == 404


def test_the_desk_carries_a_token_that_works_on_the_api(hall, browser_as):
    page = browser_as(hall.moderator).get(f'/forums/{hall.forum.id}/moderation')
    token = re.search(r'data-token="([^"]+)"', page.get_data(as_text=True)).group(1)
    listed = browser_as(hall.moderator).get(
        f'/api/v1/forums/{hall.forum.id}/questions', headers={'Authorization': f'Bearer {token}'}
    )
    assert listed.status_code == 200
    text = page_text(page)
    assert 'Hiện tên người gửi cho khán giả' in text
    assert f'/forums/{hall.forum.id}/questions/export.xlsx' in text
    assert f'/forums/{hall.forum.id}/questions/export.csv' in text
    assert f'/forums/{hall.forum.id}/screen?venue={hall.hub.id}' in text


def test_the_big_screen_is_for_the_forums_staff(hall, client, browser_as, outsider):
    url = f'/forums/{hall.forum.id}/screen'
    hub_screen = browser_as(hall.moderator).get(url)
    assert hub_screen.status_code == 200
    assert 'Điểm cầu Tỉnh Hà Giang' in page_text(hub_screen)
    district = browser_as(hall.operator).get(url, query_string={'venue': hall.district.id})
    assert district.status_code == 200
    assert 'Điểm cầu Thành phố Hà Giang' in page_text(district)
    assert browser_as(outsider).get(url).status_code == 403
    assert client.get(url).status_code == 302
    other_venue = outsider.venues[0].id
    assert (
        browser_as(hall.moderator).get(url, query_string={'venue': other_venue}).status_code == 404
    )


def test_a_bridge_points_page_is_for_its_own_operators(hall, client, browser_as, create_user):
    own = browser_as(hall.operator).get(f'/venues/{hall.district.id}/questions')
    assert own.status_code == 200
    assert f'data-venue-id="{hall.district.id}"' in own.get_data(as_text=True)
    assert browser_as(hall.operator).get(f'/venues/{hall.hub.id}/questions').status_code == 403
    organiser = browser_as(create_user(UserRole.ORGANISER))
    assert organiser.get(f'/venues/{hall.hub.id}/questions').status_code == 200
    assert browser_as(hall.moderator).get(f'/venues/{hall.hub.id}/questions').status_code == 403
    assert client.get(f'/venues/{hall.hub.id}/questions').status_code == 302
    assert browser_as(hall.operator).get('/venues/99999/questions').status_code == 404


def test_the_forum_and_venue_pages_link_to_the_queue(hall, browser_as, create_user):
    forum_url = f'/forums/{hall.forum.id}'
    by_moderator = page_text(browser_as(hall.moderator).get(forum_url))
    assert f'/forums/{hall.forum.id}/moderation' in by_moderator
    assert f'/forums/{hall.forum.id}/screen' in by_moderator
    by_operator = page_text(browser_as(hall.operator).get(forum_url))
    assert f'/forums/{hall.forum.id}/moderation' not in by_operator
    assert f'/forums/{hall.forum.id}/screen' in by_operator
    venue_page = page_text(browser_as(hall.operator).get(f'/venues/{hall.district.id}'))
    assert f'/venues/{hall.district.id}/questions' in venue_page


# The delegate's page --------------------------------------------------------------------------


def test_the_delegates_page_offers_sending_and_the_queue(client, hall):
    page = page_text(client.get(f'/i/{hall.thao.code}'))
    assert 'data-testid="qa"' in page
    assert f'data-code="{hall.thao.code}"' in page
    assert 'Câu hỏi của tôi' in page
    assert 'Đăng ký phát biểu' in page
    assert 'data-part="ask-form"' in page
    assert 'js/delegate-queue.js' in page


def test_a_closed_forum_takes_no_more_questions(app, client, hall):
    with app.app_context():
        db.session.get(Forum, hall.forum.id).status = ForumStatus.CLOSED
        db.session.commit()
    page = page_text(client.get(f'/i/{hall.thao.code}'))
    assert 'data-testid="qa-closed"' in page
    assert 'data-part="ask-form"' not in page


# The names setting ----------------------------------------------------------------------------


def set_names(browser, forum_id, shown: bool, **headers):
    token = csrf_token_from(browser.get(f'/forums/{forum_id}/moderation').get_data(as_text=True))
    data = {'csrf_token': token, **({'shown': 'y'} if shown else {})}
    return browser.post(f'/forums/{forum_id}/moderation/names', data=data, headers=headers)


def drain(live, name, *, wait=1.0, until=None):
    events = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        events += [e['args'][0] for e in live.get_received(NAMESPACE) if e['name'] == name]
        if until and until(events):
            break
        time.sleep(0.02)
    return events


def test_hiding_names_reaches_the_audience_and_makes_screens_resync(
    app, client, hall, ask, moderate, browser_as, api_token
):
    question_id = ask(hall, hall.thao).json['id']
    moderate(hall, question_id, status='approved')
    token = api_token(hall.moderator)['Authorization'].split()[1]
    screen = socketio.test_client(
        app, namespace=NAMESPACE, auth={'forum_id': hall.forum.id, 'token': token}
    )
    audience = socketio.test_client(
        app, namespace=NAMESPACE, auth={'forum_id': hall.forum.id, 'code': hall.sang.code}
    )
    staff_version = drain(screen, 'snapshot', until=bool)[0]['version']
    assert drain(audience, 'snapshot', until=bool)[0]['show_names'] is True

    moderator = browser_as(hall.moderator)
    answer = set_names(moderator, hall.forum.id, False, Accept='application/json')
    assert answer.status_code == 200
    assert answer.json == {'show_names': False}
    with app.app_context():
        assert db.session.get(Forum, hall.forum.id).questions_show_names is False

    resent = drain(audience, 'question', until=bool)
    assert [(e['id'], e['author']) for e in resent] == [(question_id, None)]
    staff_events = drain(screen, 'question', until=bool)
    assert staff_events[0]['version'] > staff_version + 1  # a gap: the screen asks for a snapshot
    screen.emit('resync', namespace=NAMESPACE)
    assert drain(screen, 'snapshot', until=bool)[0]['show_names'] is False

    public = client.get(
        f'/api/v1/forums/{hall.forum.id}/questions', query_string={'code': hall.binh.code}
    ).json['items']
    assert public[0]['author'] is None
    # Without JavaScript the form posts and comes back to the desk.
    assert set_names(moderator, hall.forum.id, True).status_code == 302
    with app.app_context():
        assert db.session.get(Forum, hall.forum.id).questions_show_names is True


def test_only_moderators_change_the_names_setting(app, hall, browser_as):
    assert set_names(browser_as(hall.operator), hall.forum.id, False).status_code == 403
    with app.app_context():
        assert db.session.get(Forum, hall.forum.id).questions_show_names is True


# The export -----------------------------------------------------------------------------------


@pytest.fixture
def worked_queue(client, hall, ask, moderate):
    """An answered item with a vote, a dismissed one, a pending one and a formula-like one."""
    answered = ask(hall, hall.thao, text='Kinh phí cho truyền thông chính sách ở cấp xã?').json
    moderate(hall, answered['id'], status='approved')
    client.post(f'/api/v1/questions/{answered["id"]}/votes', json={'code': hall.sang.code})
    moderate(
        hall,
        answered['id'],
        status='answered',
        answered_by='Trần Đức Quý',
        response='Tiếp thu; Sở Tài chính tham mưu bố trí kinh phí năm 2024.',
    )
    dismissed = ask(hall, hall.binh, text='Câu hỏi trùng lặp, không liên quan').json
    moderate(hall, dismissed['id'], status='dismissed')
    pending = ask(hall, hall.sang, text='Đề nghị tập huấn kỹ năng phát ngôn', mode='oral').json
    formula = ask(hall, hall.binh, text='=1+2 hay - Đề nghị khác?').json
    return {
        'answered': answered['id'],
        'dismissed': dismissed['id'],
        'pending': pending['id'],
        'formula': formula['id'],
    }


def rows_by_id(header, rows, id_column='Mã số'):
    index = header.index(id_column)
    return {int(row[index]): dict(zip(header, row, strict=True)) for row in rows}


def test_the_xlsx_export_has_every_item_with_status_votes_and_answer(
    hall, browser_as, worked_queue
):
    response = download_job_file(
        browser_as(hall.moderator), f'/forums/{hall.forum.id}/questions/export.xlsx'
    )
    assert response.status_code == 200
    assert response.mimetype.endswith('spreadsheetml.sheet')
    assert 'hoi-dap-' in response.headers['Content-Disposition']
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    items = rows_by_id(header, rows)
    assert set(items) == set(worked_queue.values())
    answered = items[worked_queue['answered']]
    assert answered['Trạng thái'] == 'Đã trả lời'
    assert answered['Nội dung'] == 'Kinh phí cho truyền thông chính sách ở cấp xã?'
    assert answered['Bình chọn'] == 1
    assert answered['Người trả lời'] == 'Trần Đức Quý'
    assert answered['Giải trình / tiếp thu'].startswith('Tiếp thu; Sở Tài chính')
    assert answered['Người gửi'] == 'Nguyễn Thị Thảo'
    assert answered['Chức vụ'] == 'Chủ tịch UBND'
    assert answered['Điểm cầu'] == 'Thành phố Hà Giang'
    assert answered['Cấp'] == 'Cấp huyện'
    assert isinstance(answered['Gửi lúc'], datetime)
    assert isinstance(answered['Trả lời lúc'], datetime)
    assert items[worked_queue['dismissed']]['Trạng thái'] == 'Đã loại'
    pending = items[worked_queue['pending']]
    assert (pending['Trạng thái'], pending['Hình thức']) == ('Chờ duyệt', 'Đăng ký phát biểu')
    assert pending['Điểm cầu'] == 'Tỉnh Hà Giang'
    assert items[worked_queue['formula']]['Nội dung'] == '=1+2 hay - Đề nghị khác?'  # text


def test_the_csv_export_is_utf8_with_a_bom_and_keeps_vietnamese(hall, browser_as, worked_queue):
    response = download_job_file(
        browser_as(hall.moderator), f'/forums/{hall.forum.id}/questions/export.csv'
    )
    assert response.status_code == 200
    assert response.data.startswith('\ufeff'.encode())
    header, *rows = list(csv.reader(io.StringIO(response.data.decode('utf-8-sig'))))
    items = rows_by_id(header, rows)
    assert items[worked_queue['dismissed']]['Trạng thái'] == 'Đã loại'
    assert items[worked_queue['dismissed']]['Nội dung'] == 'Câu hỏi trùng lặp, không liên quan'
    answered = items[worked_queue['answered']]
    assert (answered['Trạng thái'], answered['Bình chọn']) == ('Đã trả lời', '1')
    assert answered['Giải trình / tiếp thu'] == (
        'Tiếp thu; Sở Tài chính tham mưu bố trí kinh phí năm 2024.'
    )
    assert re.fullmatch(r'\d\d/\d\d/\d{4} \d\d:\d\d', answered['Gửi lúc'])
    assert items[worked_queue['formula']]['Nội dung'] == "'=1+2 hay - Đề nghị khác?"  # defused


def test_a_question_full_of_controls_is_stored_clean_and_every_export_still_opens(
    app, hall, ask, browser_as
):
    from forum.qa.models import Question

    sent = ask(hall, hall.thao, text='Xin\x00 hỏi\x1b về\u202e kinh phí\ud800?\nDòng hai\x0c')
    assert sent.status_code == 201
    with app.app_context():
        assert db.session.get(Question, sent.json['id']).text == 'Xin hỏi về kinh phí?\nDòng hai'
        older = ask(hall, hall.binh, text='Câu hỏi cũ').json['id']
        # A row stored before the boundary cleaned its text: the export must still open.
        db.session.get(Question, older).text = 'Câu hỏi\x01 cũ\x1f'
        db.session.commit()
    moderator = browser_as(hall.moderator)
    csv_export = download_job_file(moderator, f'/forums/{hall.forum.id}/questions/export.csv')
    assert csv_export.status_code == 200
    assert 'Câu hỏi cũ' in csv_export.data.decode('utf-8-sig')
    xlsx_export = download_job_file(moderator, f'/forums/{hall.forum.id}/questions/export.xlsx')
    assert xlsx_export.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_export.data)).active
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {'Câu hỏi cũ', 'Xin hỏi về kinh phí?\nDòng hai'} <= values


def test_the_desk_and_the_secretariat_export_the_queue_operators_do_not(
    hall, browser_as, create_user, worked_queue
):
    """The export holds every item with its author: operators see only their points' items."""
    url = f'/forums/{hall.forum.id}/questions/export.csv'
    assert download_job_file(browser_as(hall.moderator), url).status_code == 200
    assert download_job_file(browser_as(create_user(UserRole.SECRETARY)), url).status_code == 200
    assert browser_as(hall.operator).get(url).status_code == 403
