"""The delegate's own page: opened from the QR code, answered, with its PDF and calendar file."""

import icalendar

from forum.delegates.models import Delegate, Rsvp
from forum.extensions import db
from forum.forums.models import Forum, ForumStatus
from tests.conftest import csrf_token_from


def answer(client, code, **data):
    token = csrf_token_from(client.get(f'/i/{code}').get_data(as_text=True))
    return client.post(f'/i/{code}/rsvp', data={**data, 'csrf_token': token})


def test_the_page_shows_the_invitation_and_records_the_first_visit(
    app, client, create_forum, create_delegate
):
    forum = create_forum(unit_codes=['024'])
    venue = next(v for v in forum.venues if v.unit_code == '024')
    delegate = create_delegate(forum, 'Nguyễn Thị Thảo', venue=venue, position='Chủ tịch UBND')
    page = client.get(f'/i/{delegate.code}').get_data(as_text=True)
    assert 'Nguyễn Thị Thảo' in page
    assert 'Thành phố Hà Giang' in page
    assert delegate.short_code in page
    assert '<svg' in page and 'class="qr-code"' in page
    with app.app_context():
        opened = db.session.get(Delegate, delegate.id).invitation_opened_at
    assert opened is not None
    client.get(f'/i/{delegate.code}')
    with app.app_context():
        assert db.session.get(Delegate, delegate.id).invitation_opened_at == opened


def test_an_unknown_code_is_404(client):
    assert client.get('/i/not-a-real-code').status_code == 404


def test_the_delegate_accepts(app, client, create_forum, create_delegate):
    delegate = create_delegate(create_forum(), 'Vàng Mí Sử')
    response = answer(client, delegate.code, answer='accepted')
    assert response.status_code == 302
    page = client.get(f'/i/{delegate.code}').get_data(as_text=True)
    assert 'Quý đại biểu đã xác nhận tham dự' in page
    with app.app_context():
        assert db.session.get(Delegate, delegate.id).rsvp == Rsvp.ACCEPTED


def test_the_delegate_declines_and_names_a_substitute(app, client, create_forum, create_delegate):
    delegate = create_delegate(create_forum(), 'Lò Văn Sáng')
    answer(
        client,
        delegate.code,
        answer='declined',
        substitute_name='Lò Thị Hoa',
        substitute_position='Phó Chủ tịch UBND xã',
    )
    with app.app_context():
        stored = db.session.get(Delegate, delegate.id)
        assert (stored.rsvp, stored.substitute_name, stored.substitute_position) == (
            Rsvp.DECLINED,
            'Lò Thị Hoa',
            'Phó Chủ tịch UBND xã',
        )


def test_a_substitute_position_without_a_name_is_explained(
    app, client, create_forum, create_delegate
):
    delegate = create_delegate(create_forum(), 'Lò Văn Sáng')
    response = answer(client, delegate.code, answer='declined', substitute_position='Phó Chủ tịch')
    assert response.status_code == 422
    assert 'Nhập họ và tên người dự thay' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Delegate, delegate.id).rsvp == Rsvp.NONE


def test_no_answer_chosen_is_explained(client, create_forum, create_delegate):
    delegate = create_delegate(create_forum(), 'Lò Văn Sáng')
    response = answer(client, delegate.code, answer='maybe')
    assert response.status_code == 422


def test_answers_close_with_the_forum(app, client, create_forum, create_delegate):
    forum = create_forum()
    delegate = create_delegate(forum, 'Hầu Mí Chứ')
    with app.app_context():
        db.session.get(Forum, forum.id).status = ForumStatus.CLOSED
        db.session.commit()
    response = answer(client, delegate.code, answer='accepted')
    assert 'Hội nghị đã kết thúc' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Delegate, delegate.id).rsvp == Rsvp.NONE


def test_the_calendar_file_has_the_forum_in_vietnam_time(client, create_forum, create_delegate):
    delegate = create_delegate(create_forum(title='Tọa đàm lịch'), 'Giàng Seo Phử')
    response = client.get(f'/i/{delegate.code}/hoi-nghi.ics')
    assert response.mimetype == 'text/calendar'
    event = icalendar.Calendar.from_ical(response.data).walk('VEVENT')[0]
    assert str(event['SUMMARY']) == 'Tọa đàm lịch'
    assert event.decoded('DTSTART').isoformat() == '2023-05-23T01:00:00+00:00'  # 08:00 ICT
    assert event.decoded('DTEND').isoformat() == '2023-05-23T04:30:00+00:00'
    assert f'/i/{delegate.code}' in str(event['URL'])


def test_a_reissued_code_closes_the_old_link(
    app, client, create_user, create_forum, create_delegate, sign_in, post_form
):
    from forum.auth.models import UserRole

    delegate = create_delegate(create_forum(), 'Sùng Thị Mỷ')
    old_code = delegate.code
    sign_in(create_user(UserRole.ORGANISER))
    response = post_form(
        f'/delegates/{delegate.id}/reissue-code',
        {},
        form_page=f'/delegates/{delegate.id}/invitation',
    )
    assert response.status_code == 302
    with app.app_context():
        new_code = db.session.get(Delegate, delegate.id).code
    assert new_code != old_code
    assert client.get(f'/i/{old_code}').status_code == 410
    assert client.get(f'/i/{new_code}').status_code == 200


def test_only_organisers_reissue_codes(client, create_user, create_forum, create_delegate, sign_in):
    from forum.auth.models import UserRole

    delegate = create_delegate(create_forum(), 'Sùng Thị Mỷ')
    sign_in(create_user(UserRole.MODERATOR))
    assert client.get(f'/delegates/{delegate.id}/invitation').status_code == 403
