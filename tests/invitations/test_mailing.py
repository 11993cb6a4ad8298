"""E-mailing invitations through a real SMTP server: personalised, with attachments, failures
listed and retried, reminders only to those who have not answered."""

import io
import re
import time

import icalendar
import pypdf
import pytest

from forum.auth.models import UserRole
from forum.delegates.models import Delegate, Rsvp
from forum.extensions import db
from forum.invitations.models import DeliveryStatus, MailJob, MailJobStatus


def wait_for_job(app, timeout=30, previous=0):
    """The newest batch's id once it is done (and more than ``previous`` batches exist)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            jobs = db.session.scalars(db.select(MailJob).order_by(MailJob.id.desc())).all()
            if len(jobs) > previous and jobs[0].status == MailJobStatus.DONE:
                return jobs[0].id
        time.sleep(0.05)
    raise TimeoutError('the mail job did not finish')


@pytest.fixture
def invited(create_forum, create_delegate):
    forum = create_forum(title='Tọa đàm truyền thông chính sách', unit_codes=['024'])
    venue = next(v for v in forum.venues if v.unit_code == '024')
    people = [
        create_delegate(forum, 'Nguyễn Thị Thảo', venue=venue, email='thao@ubnd.example'),
        create_delegate(forum, 'Đặng Văn Ưng', email='ung@ubnd.example'),
        create_delegate(forum, 'Hoàng Văn Hòa', email='hoa@nowhere.example'),
        create_delegate(forum, 'Không Email'),
    ]
    return forum, people


def ask_to_send(post_form, forum, kind):
    """The first click: the page that says how many will receive the batch."""
    return post_form(
        f'/forums/{forum.id}/invitations/mail',
        {'kind': kind},
        form_page=f'/forums/{forum.id}/invitations',
    )


def confirmation_fields(html: str) -> dict[str, str]:
    form = html[html.index('/invitations/mail/confirm') :]
    return dict(re.findall(r'<input [^>]*?name="([^"]+)" type="hidden" value="([^"]*)"', form))


def send(post_form, forum, kind):
    """Both clicks: ask, then confirm what the page says."""
    asked = ask_to_send(post_form, forum, kind)
    if asked.status_code != 200:
        return asked
    return post_form.client.post(
        f'/forums/{forum.id}/invitations/mail/confirm', data=confirmation_fields(asked.text)
    )


def test_invitations_arrive_personalised_with_pdf_and_calendar(
    app, smtp_server, invited, create_user, sign_in, post_form
):
    forum, people = invited
    sign_in(create_user(UserRole.ORGANISER))
    assert send(post_form, forum, 'invitation').status_code == 302
    wait_for_job(app)

    by_recipient = {m['To'].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert set(by_recipient) == {'thao@ubnd.example', 'ung@ubnd.example', 'hoa@nowhere.example'}
    message = by_recipient['thao@ubnd.example']
    assert message['Subject'] == 'Giấy mời Tọa đàm truyền thông chính sách'
    assert message['To'].addresses[0].display_name == 'Nguyễn Thị Thảo'
    body = message.get_body(('plain',)).get_content()
    assert 'Kính gửi: Nguyễn Thị Thảo' in body
    assert f'/i/{people[0].code}' in body
    assert people[0].short_code in body
    assert 'Thành phố Hà Giang' in body

    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    pdf = pypdf.PdfReader(io.BytesIO(attachments['giay-moi-nguyen-thi-thao.pdf'].get_content()))
    assert len(pdf.pages) == 1
    assert 'Nguyễn Thị Thảo' in pdf.pages[0].extract_text()
    calendar = icalendar.Calendar.from_ical(attachments['hoi-nghi.ics'].get_content())
    assert str(calendar.walk('VEVENT')[0]['SUMMARY']) == 'Tọa đàm truyền thông chính sách'

    with app.app_context():
        sent = {
            d.full_name
            for d in db.session.scalars(db.select(Delegate))
            if d.invitation_sent_at is not None
        }
    assert sent == {'Nguyễn Thị Thảo', 'Đặng Văn Ưng', 'Hoàng Văn Hòa'}


def test_refused_messages_are_listed_and_can_be_retried(
    app, client, smtp_server, invited, create_user, sign_in, post_form
):
    forum, _people = invited
    smtp_server.refused_domains.add('nowhere.example')
    sign_in(create_user(UserRole.ORGANISER))
    send(post_form, forum, 'invitation')
    job_id = wait_for_job(app)

    page = client.get(f'/forums/{forum.id}/invitations').get_data(as_text=True)
    assert '1 thư không gửi được' in page
    assert 'Hoàng Văn Hòa' in page and '550' in page
    progress = client.get(f'/forums/{forum.id}/invitations/mail/{job_id}').json
    assert {key: progress[key] for key in ('total', 'sent', 'failed', 'status')} == {
        'total': 3,
        'sent': 2,
        'failed': 1,
        'status': 'done',
    }

    smtp_server.refused_domains.clear()
    response = post_form(
        f'/forums/{forum.id}/invitations/mail/{job_id}/retry',
        {},
        form_page=f'/forums/{forum.id}/invitations',
    )
    assert response.status_code == 302
    wait_for_job(app)
    with app.app_context():
        statuses = (
            db.session.scalars(db.select(MailJob).where(MailJob.id == job_id)).one().deliveries
        )
        assert {d.status for d in statuses} == {DeliveryStatus.SENT}
    assert len(smtp_server.messages) == 3


def test_reminders_go_only_to_those_who_have_not_answered(
    app, smtp_server, invited, create_user, sign_in, post_form
):
    forum, people = invited
    sign_in(create_user(UserRole.ORGANISER))
    send(post_form, forum, 'invitation')
    wait_for_job(app)
    with app.app_context():
        db.session.get(Delegate, people[0].id).rsvp = Rsvp.ACCEPTED
        db.session.commit()
    smtp_server.messages.clear()
    send(post_form, forum, 'reminder')
    wait_for_job(app)
    recipients = {m['To'].addresses[0].addr_spec for m in smtp_server.messages}
    assert recipients == {'ung@ubnd.example', 'hoa@nowhere.example'}
    assert all(m['Subject'].startswith('Nhắc lại:') for m in smtp_server.messages)


def test_an_unreachable_server_fails_every_message_with_the_reason(
    app, client, invited, create_user, sign_in, post_form
):
    forum, _people = invited
    app.config.update(MAIL_SERVER='127.0.0.1', MAIL_PORT=1)  # nothing listens there
    sign_in(create_user(UserRole.ORGANISER))
    send(post_form, forum, 'invitation')
    job_id = wait_for_job(app)
    progress = client.get(f'/forums/{forum.id}/invitations/mail/{job_id}').json
    assert (progress['sent'], progress['failed']) == (0, 3)
    assert 'ConnectionRefusedError' in client.get(f'/forums/{forum.id}/invitations').get_data(
        as_text=True
    )


def test_nobody_with_an_address_is_explained(
    client, create_forum, create_delegate, create_user, sign_in, post_form
):
    forum = create_forum()
    create_delegate(forum, 'Không Email')
    sign_in(create_user(UserRole.ORGANISER))
    response = send(post_form, forum, 'invitation')
    page = client.get(response.headers['Location']).get_data(as_text=True)
    assert 'Không có đại biểu nào có email để gửi' in page


def test_dashboard_counts_per_tier(
    app, client, smtp_server, invited, create_user, sign_in, post_form
):
    forum, people = invited
    sign_in(create_user(UserRole.ORGANISER))
    send(post_form, forum, 'invitation')
    wait_for_job(app)
    with app.app_context():
        db.session.get(Delegate, people[0].id).rsvp = Rsvp.ACCEPTED
        db.session.get(Delegate, people[1].id).rsvp = Rsvp.DECLINED
        db.session.commit()
    from forum.forums.models import Forum
    from forum.invitations.dashboard import invitation_dashboard
    from forum.tiers.models import Tier

    with app.app_context():
        board = invitation_dashboard(db.session.get(Forum, forum.id))
    province, district = board.by_tier[Tier.PROVINCE], board.by_tier[Tier.DISTRICT]
    assert (province.invited, province.sent, province.declined) == (3, 2, 1)
    assert (district.invited, district.sent, district.accepted) == (1, 1, 1)
    assert board.total.unanswered == 2


def test_the_organiser_confirms_how_many_will_receive_it(
    app, client, smtp_server, invited, create_user, sign_in, post_form
):
    forum, _people = invited
    sign_in(create_user(UserRole.ORGANISER))
    asked = ask_to_send(post_form, forum, 'invitation')
    assert asked.status_code == 200
    assert 'tới 3 đại biểu chưa nhận giấy mời' in asked.text
    assert smtp_server.messages == [] and wait_for_no_batch(app)
    fields = confirmation_fields(asked.text)
    for _click in range(2):  # a double click on the confirmation
        response = client.post(f'/forums/{forum.id}/invitations/mail/confirm', data=fields)
        assert response.status_code == 302
    wait_for_job(app)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MailJob.id))) == 1
    assert len(smtp_server.messages) == 3


def test_a_second_invitation_batch_invites_nobody_twice(
    app, client, smtp_server, invited, create_user, sign_in, post_form, create_delegate
):
    forum, _people = invited
    sign_in(create_user(UserRole.ORGANISER))
    send(post_form, forum, 'invitation')
    wait_for_job(app)
    create_delegate(forum, 'Lò Thị Mai', email='mai@ubnd.example')
    smtp_server.messages.clear()
    asked = ask_to_send(post_form, forum, 'invitation')
    assert 'tới 1 đại biểu chưa nhận giấy mời' in asked.text
    post_form.client.post(
        f'/forums/{forum.id}/invitations/mail/confirm', data=confirmation_fields(asked.text)
    )
    wait_for_job(app, previous=1)
    assert [m['To'].addresses[0].addr_spec for m in smtp_server.messages] == ['mai@ubnd.example']


def test_a_batch_resumed_after_a_crash_sends_nothing_twice(
    app, smtp_server, invited, create_user, job_worker
):
    """A worker killed mid-batch: sent messages stay sent, the one it was sending is reported
    (it may have gone out), the rest go when the batch runs again."""
    from forum.db_types import utcnow
    from forum.forums.models import Forum
    from forum.invitations.jobs import start_mail_job
    from forum.invitations.mailing import queue_mail_job
    from forum.invitations.models import MailKind
    from forum.jobs.models import Job, JobState

    forum, people = invited
    organiser = create_user(UserRole.ORGANISER)
    with app.app_context():
        batch = queue_mail_job(db.session.get(Forum, forum.id), MailKind.INVITATION)
        db.session.flush()
        first, second, third = sorted(batch.deliveries, key=lambda d: d.id)
        first.status, first.sent_at = DeliveryStatus.SENT, utcnow()  # sent before the crash
        second.claimed_at, second.attempts = utcnow(), 1  # being sent when it crashed
        db.session.commit()
        batch_id = batch.id
        interrupted_id, rest_id = second.delegate_id, third.delegate_id
        start_mail_job(db.session.get(Forum, forum.id), MailKind.INVITATION,
                       user=db.session.get(type(organiser), organiser.id),
                       existing=db.session.get(MailJob, batch_id))  # fmt: skip
        db.session.commit()  # the job goes to the worker once committed
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the job's own row is marked done last
        with app.app_context():
            if db.session.scalars(db.select(Job).where(Job.kind == 'mail')).one().is_finished:
                break
        time.sleep(0.05)
    with app.app_context():
        deliveries = {d.delegate_id: d for d in db.session.get(MailJob, batch_id).deliveries}
        assert deliveries[interrupted_id].status == DeliveryStatus.FAILED
        assert 'gián đoạn' in deliveries[interrupted_id].error
        assert deliveries[rest_id].status == DeliveryStatus.SENT
        job = db.session.scalars(db.select(Job).where(Job.kind == 'mail')).one()
        assert (job.state, job.progress, job.total) == (JobState.DONE, 3, 3)
    received = [m['To'].addresses[0].addr_spec for m in smtp_server.messages]
    third_email = next(p.email for p in people if p.id == rest_id)
    assert received == [third_email]


def wait_for_no_batch(app) -> bool:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(MailJob.id))) == 0


def test_a_batch_stopped_by_a_failure_can_be_resumed_and_does_not_block_the_next(
    app, client, smtp_server, invited, create_user, sign_in, post_form, monkeypatch
):
    forum, people = invited
    sign_in(create_user(UserRole.ORGANISER))
    from forum.invitations import jobs as invitation_jobs

    real = invitation_jobs.invitation_email
    sent_so_far = []

    def breaks_on_the_second(delegate, *args, **kwargs):
        sent_so_far.append(delegate.id)
        if len(sent_so_far) == 2:
            raise KeyError('template variable')
        return real(delegate, *args, **kwargs)

    monkeypatch.setattr(invitation_jobs, 'invitation_email', breaks_on_the_second)
    send(post_form, forum, 'invitation')
    job_id = wait_for_job(app)  # the batch is over, though its job failed
    assert len(smtp_server.messages) == 1
    page = client.get(f'/forums/{forum.id}/invitations').get_data(as_text=True)
    assert '2 thư không gửi được' in page and 'Gửi lại các thư lỗi' in page

    monkeypatch.setattr(invitation_jobs, 'invitation_email', real)
    post_form(
        f'/forums/{forum.id}/invitations/mail/{job_id}/retry',
        {},
        form_page=f'/forums/{forum.id}/invitations',
    )
    wait_for_job(app)
    recipients = sorted(m['To'].addresses[0].addr_spec for m in smtp_server.messages)
    assert recipients == sorted(p.email for p in people if p.email)  # each once
