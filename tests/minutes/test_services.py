"""The minutes built from the forum's own data, the draft's revisions, and issuing."""

import hashlib
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from forum.checkin.models import CheckIn
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.forums.models import ForumStatus
from forum.minutes.draft_input import DraftData, MinutesError, TaskData, parse_draft
from forum.minutes.drafts import draft_for, save_draft, summarise_changes
from forum.minutes.facts import draft_pdf, minutes_data
from forum.minutes.issuing import issue_document, notice_deadline, notice_reminder
from forum.minutes.models import DocumentKind, IssuedDocument, MinutesRevision
from forum.minutes.pdf import render_minutes
from forum.tiers.models import Venue
from forum.working_days import add_working_days
from tests.invitations.pdfs import page_texts

AFTER = datetime(2023, 5, 23, 5, 0, tzinfo=UTC)  # noon in Hà Giang, after the forum
CONCLUSIONS = (
    'Tọa đàm đã thành công tốt đẹp.\n'
    '1. Về nhận thức: người đứng đầu trực tiếp chỉ đạo truyền thông chính sách.\n'
    '- Đồng chí Đặng Ưng Ơn phối hợp với báo chí địa phương.'
)


def draft_data(**changes) -> DraftData:
    values = {
        'conclusions': CONCLUSIONS,
        'minutes_number': '05/BB-UBND',
        'notice_number': '12/TB-UBND',
        'chair_name': 'Trần Đức Quý',
        'chair_title': 'Phó Chủ tịch UBND tỉnh',
        'secretary_name': 'Nguyễn Thị Hồng Nhung',
        'recipients': 'Thường trực Tỉnh ủy (b/c)\nCác sở, ban, ngành tỉnh',
        'started_at': time(8, 5),
        'ended_at': time(11, 40),
        'tasks': [
            TaskData('Sở Thông tin và Truyền thông', 'Tổng hợp ý kiến, tham mưu UBND tỉnh',
                     date(2023, 6, 15)),
            TaskData('UBND thành phố Hà Giang', 'Kiện toàn tổ truyền thông cơ sở'),
        ],
    }  # fmt: skip
    values.update(changes)
    return DraftData(**values)


def minutes_text(forum) -> str:
    draft = draft_for(forum)
    return ' '.join(page_texts(draft_pdf(forum, draft, DocumentKind.MINUTES)))


def save(finished, user=None, now=AFTER, **changes):
    user = db.session.merge(user or finished.secretary)
    return save_draft(finished.forum(), draft_data(**changes), user=user, now=now)


# What the minutes say ---------------------------------------------------------------------------


def test_minutes_state_the_present_delegates_per_tier_exactly_as_checked_in(
    app_ctx, finished_forum
):
    forum = finished_forum.forum()
    save(finished_forum)
    active = db.session.execute(
        select(Venue.tier, func.count(CheckIn.id))
        .join(Venue, Venue.id == CheckIn.venue_id)
        .where(CheckIn.forum_id == forum.id, CheckIn.undone_at.is_(None))
        .group_by(Venue.tier)
    ).all()
    present = {tier.value: n for tier, n in active}
    invited = dict(
        db.session.execute(
            select(Venue.tier, func.count(Delegate.id))
            .join(Venue, Venue.id == Delegate.venue_id)
            .where(Delegate.forum_id == forum.id, Delegate.walk_in.is_(False))
            .group_by(Venue.tier)
        ).all()
    )
    assert present == {'province': 1, 'district': 1, 'commune': 3}  # the walk-in counts

    text = minutes_text(forum)

    assert f'Cấp tỉnh (điểm cầu trung tâm): mời {invited["province"]}, có mặt 1;' in text
    assert f'Cấp huyện (1 điểm cầu): mời {invited["district"]}, có mặt 1;' in text
    assert f'Cấp xã (2 điểm cầu): mời {invited["commune"]}, có mặt 3.' in text
    assert 'mời 8 người, có mặt 5 người' in text
    assert 'Số có mặt gồm 1 đại biểu đăng ký tại chỗ' in text


def test_minutes_carry_every_answered_question_with_its_answer(app_ctx, finished_forum):
    save(finished_forum)

    text = minutes_text(finished_forum.forum())

    for question, answer in finished_forum.answered:
        assert question in text
        assert f'Trả lời của Giám đốc Sở Thông tin và Truyền thông: {answer}' in text
    for question in finished_forum.approved_unanswered:
        assert question in text
    assert 'Chưa trả lời tại hội nghị' in text
    for question in finished_forum.hidden:
        assert question not in text  # never approved, or dismissed


def test_questions_are_grouped_by_bridge_point_in_tier_order(app_ctx, finished_forum):
    data = minutes_data(finished_forum.forum(), draft_for(finished_forum.forum()))

    assert [point.venue for point in data.raised] == [
        'Tỉnh Hà Giang',
        'Thành phố Hà Giang',
        'Phường Quang Trung',
    ]


def test_minutes_name_the_meeting_time_places_chair_and_secretary(app_ctx, finished_forum):
    save(finished_forum)

    text = minutes_text(finished_forum.forum())

    assert 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' in text
    assert 'Độc lập - Tự do - Hạnh phúc' in text
    assert 'BIÊN BẢN' in text and 'Số: 05/BB-UBND' in text
    assert 'Hà Giang, ngày 23 tháng 5 năm 2023' in text
    assert '1. Thời gian bắt đầu: 08 giờ 05, thứ Ba, ngày 23 tháng 5 năm 2023.' in text
    assert 'Hội trường tầng 3, trụ sở UBND tỉnh Hà Giang' in text
    assert '1/1 điểm cầu cấp huyện và 0/2 điểm cầu cấp xã báo đã kết nối' in text
    assert 'Phường Quang Trung (có sự cố); Phường Trần Phú (chưa kiểm tra)' in text
    assert 'Khách mời: đồng chí Phạm Thị Hà, Phó Cục trưởng Cục Báo chí' in text
    assert '4. Chủ tọa: đồng chí Trần Đức Quý, Phó Chủ tịch UBND tỉnh.' in text
    assert '5. Thư ký: Nguyễn Thị Hồng Nhung.' in text
    assert '08 giờ 00: Khai mạc' in text
    assert '- Đồng chí Đặng Ưng Ơn phối hợp với báo chí địa phương.' in text
    assert '1. Sở Thông tin và Truyền thông: Tổng hợp ý kiến, tham mưu UBND tỉnh.' in text
    assert 'Thời hạn: trước ngày 15/6/2023.' in text
    assert 'Tọa đàm kết thúc vào lúc 11 giờ 40 cùng ngày./.' in text
    assert 'THƯ KÝ' in text and 'CHỦ TỌA' in text
    assert 'Nơi nhận:' in text and '- Thường trực Tỉnh ủy (b/c);' in text
    assert text.index('- Lưu: VT.') > text.index('- Các sở, ban, ngành tỉnh;')


def test_the_annex_lists_each_point_in_vietnamese_name_order_with_check_in_times(
    app_ctx, finished_forum
):
    text = minutes_text(finished_forum.forum())

    annex = text[text.index('PHỤ LỤC') :]
    # By given name (Dở, Páo, Tiên), not by the code points of the full name.
    assert annex.index('Vừ Thị Dở') < annex.index('Giàng Mí Páo') < annex.index('Hoàng Thủy Tiên')
    assert 'Nguyễn Thị Thảo Phó Giám đốc Sở Tư pháp Đơn vị của Nguyễn Thị Thảo 07:43' in annex
    assert 'Trần Văn Bình Chuyên viên Đơn vị của Trần Văn Bình Vắng' in annex  # check-in undone
    assert 'Sùng Thị Mỷ Phóng viên Báo Hà Giang 07:52 (tại chỗ)' in annex
    assert 'Điểm cầu Phường Quang Trung (cấp xã, có sự cố): mời 3, có mặt 2' in annex


def test_times_as_planned_when_the_draft_leaves_them_empty(app_ctx, finished_forum):
    save(finished_forum, started_at=None, ended_at=None)

    text = minutes_text(finished_forum.forum())

    assert 'Thời gian bắt đầu: 08 giờ 00' in text
    assert 'kết thúc vào lúc 11 giờ 30' in text


def test_the_notice_restates_the_conclusions_and_tasks(app_ctx, finished_forum):
    forum = finished_forum.forum()
    save(finished_forum)

    text = ' '.join(page_texts(draft_pdf(forum, draft_for(forum), DocumentKind.NOTICE)))

    assert 'THÔNG BÁO' in text and 'Số: 12/TB-UBND' in text
    assert 'Kết luận của đồng chí Trần Đức Quý, Phó Chủ tịch UBND tỉnh tại Tọa đàm' in text
    assert 'Hà Giang, ngày tháng năm 2023' in text  # not issued: the date is left blank
    assert 'Tọa đàm đã thành công tốt đẹp.' in text
    assert '2. UBND thành phố Hà Giang: Kiện toàn tổ truyền thông cơ sở.' in text
    assert 'TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH' in text
    assert '- Lưu: VT.' in text


# The draft and its revisions --------------------------------------------------------------------


def test_saves_by_one_person_in_a_row_make_one_revision(app_ctx, finished_forum):
    save(finished_forum)
    outcome = save(finished_forum, now=AFTER + timedelta(minutes=3), conclusions='Ngắn gọn.')

    revisions = db.session.scalars(select(MinutesRevision)).all()
    assert len(revisions) == 1
    assert outcome.revision.save_count == 2
    assert outcome.revision.snapshot['conclusions'] == 'Ngắn gọn.'
    assert outcome.draft.lock_version == 2


def test_another_person_or_a_pause_starts_a_new_revision_with_what_changed(app_ctx, finished_forum):
    save(finished_forum)
    edits = {'conclusions': CONCLUSIONS + '\nThêm một ý.', 'notice_number': '13/TB-UBND'}
    later = AFTER + timedelta(minutes=1)
    second = save(finished_forum, user=finished_forum.organiser, now=later, **edits)
    third = save(finished_forum, user=finished_forum.organiser, now=later + timedelta(hours=1),
                 tasks=[], **edits)  # fmt: skip

    assert (second.revision.number, third.revision.number) == (2, 3)
    assert second.revision.saved_by_id == finished_forum.organiser.id
    assert {'field': 'conclusions', 'added': 3, 'removed': 0} in second.revision.changes
    assert {'field': 'notice_number', 'old': '12/TB-UBND', 'new': '13/TB-UBND'} in (
        second.revision.changes
    )
    assert third.revision.changes == [{'field': 'tasks', 'added': 0, 'removed': 2, 'changed': 0}]


def test_a_save_that_changes_nothing_changes_nothing(app_ctx, finished_forum):
    first = save(finished_forum)
    again = save(finished_forum, now=AFTER + timedelta(minutes=30))

    assert not again.changed
    assert again.revision.id == first.revision.id and again.draft.lock_version == 1


def test_a_save_based_on_an_older_state_is_refused(app_ctx, finished_forum):
    save(finished_forum)
    organiser = db.session.merge(finished_forum.organiser)

    with pytest.raises(MinutesError) as refused:
        save_draft(finished_forum.forum(), draft_data(conclusions='Ghi đè?'), user=organiser,
                   now=AFTER, lock_version=0)  # fmt: skip

    assert refused.value.status == 409


def test_summary_counts_words_and_tasks():
    before = {'conclusions': 'một hai ba', 'tasks': [{'body': 'A'}], 'ended_at': ''}
    after = {'conclusions': 'một bốn ba năm', 'tasks': [{'body': 'B'}, {'body': 'C'}]}

    assert summarise_changes(before, after) == [
        {'field': 'conclusions', 'added': 2, 'removed': 1},
        {'field': 'tasks', 'added': 1, 'removed': 0, 'changed': 1},
    ]


@pytest.mark.parametrize(
    ('payload', 'field'),
    [
        ({'conclusions': 5}, 'conclusions'),
        ({'minutes_number': 'x' * 51}, 'minutes_number'),
        ({'started_at': '25:99'}, 'started_at'),
        ({'started_at': '10:00', 'ended_at': '09:00'}, 'ended_at'),
        ({'tasks': 'not a list'}, 'tasks'),
        ({'tasks': [{'body': 'Sở', 'due_on': '31/12/2023'}]}, 'tasks-0-due_on'),
        ({'tasks': [{}, {'body': 'x' * 301}]}, 'tasks-1-body'),
    ],
)
def test_bad_input_names_its_field(app_ctx, payload, field):
    with pytest.raises(MinutesError) as error:
        parse_draft(payload)

    assert error.value.field == field and error.value.status == 422 and error.value.message


def test_input_is_normalised():
    data = parse_draft(
        {
            'conclusions': 'Nguye\u0302\u0303n  Thị\r\n\r\n\r\n- ý   hai ',
            'minutes_number': 'Số: 05/bb-ubnd',
            'tasks': [{'body': '', 'content': '', 'due_on': ''}, {'body': ' Sở Y tế '}],
        }
    )

    assert data.conclusions == 'Nguyễn Thị\n\n- ý hai'
    assert data.minutes_number == '05/BB-UBND'
    assert [task.body for task in data.tasks] == ['Sở Y tế']  # the empty row is dropped


# Issuing -----------------------------------------------------------------------------------------


def test_issuing_keeps_version_1_byte_identical_after_edits_and_version_2_differs(
    app_ctx, finished_forum
):
    forum = finished_forum.forum()
    secretary = db.session.merge(finished_forum.secretary)
    save(finished_forum)
    first = issue_document(forum, DocumentKind.MINUTES, user=secretary, now=AFTER)
    db.session.commit()
    first_bytes, first_id = bytes(first.pdf), first.id

    assert first.version == 1 and first.number == '05/BB-UBND'
    assert first.sha256 == hashlib.sha256(first_bytes).hexdigest()
    assert first.issued_on == date(2023, 5, 23)
    assert forum.status == ForumStatus.MINUTES_ISSUED

    edited = save(finished_forum, now=AFTER + timedelta(minutes=1), conclusions='Kết luận mới.')
    assert edited.revision.number == 2  # the issued revision is locked
    second = issue_document(forum, DocumentKind.MINUTES, user=secretary, now=AFTER)
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(IssuedDocument, first_id)
    assert bytes(stored.pdf) == first_bytes
    assert hashlib.sha256(bytes(stored.pdf)).hexdigest() == stored.sha256
    assert second.version == 2 and second.sha256 != first.sha256
    assert 'Kết luận mới.' in ' '.join(page_texts(bytes(second.pdf)))
    assert forum.status == ForumStatus.MINUTES_ISSUED


def test_issuing_the_same_draft_twice_is_refused(app_ctx, finished_forum):
    forum = finished_forum.forum()
    secretary = db.session.merge(finished_forum.secretary)
    save(finished_forum)
    issue_document(forum, DocumentKind.NOTICE, user=secretary, now=AFTER)

    with pytest.raises(MinutesError) as refused:
        issue_document(forum, DocumentKind.NOTICE, user=secretary, now=AFTER)

    assert refused.value.status == 409
    # The other document may still be issued from the same draft.
    assert issue_document(forum, DocumentKind.MINUTES, user=secretary, now=AFTER).version == 1


def test_the_issued_notice_carries_its_date(app_ctx, finished_forum):
    forum = finished_forum.forum()
    save(finished_forum)
    notice = issue_document(forum, DocumentKind.NOTICE,
                            user=db.session.merge(finished_forum.secretary),
                            now=datetime(2023, 5, 28, 18, 0, tzinfo=UTC))  # fmt: skip

    assert notice.issued_on == date(2023, 5, 29)  # already the 29th in Hà Giang
    assert 'Hà Giang, ngày 29 tháng 5 năm 2023' in ' '.join(page_texts(bytes(notice.pdf)))
    assert forum.status == ForumStatus.CLOSED  # only the minutes move the forum on


@pytest.mark.parametrize(
    ('changes', 'field'),
    [
        ({'minutes_number': ''}, 'minutes_number'),
        ({'minutes_number': '05/TB-UBND'}, 'minutes_number'),
        ({'secretary_name': ''}, 'secretary_name'),
        ({'conclusions': ''}, 'conclusions'),
        ({'tasks': [TaskData('', 'Nội dung không có cơ quan')]}, 'tasks'),
    ],
)
def test_a_draft_not_ready_is_not_issued(app_ctx, finished_forum, changes, field):
    save(finished_forum, **changes)

    with pytest.raises(MinutesError) as refused:
        issue_document(finished_forum.forum(), DocumentKind.MINUTES,
                       user=db.session.merge(finished_forum.secretary), now=AFTER)  # fmt: skip

    assert refused.value.field == field


def test_a_forum_not_closed_issues_nothing(app_ctx, finished_forum):
    forum = finished_forum.forum()
    forum.status = ForumStatus.LIVE
    save(finished_forum)

    with pytest.raises(MinutesError) as refused:
        issue_document(forum, DocumentKind.MINUTES, user=db.session.merge(finished_forum.secretary),
                       now=AFTER)  # fmt: skip

    assert refused.value.code == 'forum_not_closed'


# The notice's deadline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('held_on', 'deadline'),
    [
        (date(2023, 5, 23), date(2023, 5, 30)),  # Tuesday → next Tuesday
        (date(2023, 5, 26), date(2023, 6, 2)),  # Friday → next Friday
        (date(2023, 5, 27), date(2023, 6, 2)),  # Saturday → Friday
    ],
)
def test_five_working_days_monday_to_friday(held_on, deadline):
    assert add_working_days(held_on, 5) == deadline


@pytest.mark.parametrize(
    ('held_on', 'deadline'),
    [
        # Friday before Tết Bính Ngọ: 16–20 February 2026 are days off
        (date(2026, 2, 13), date(2026, 2, 27)),
        # 30/4, 1/5 and the day off in exchange (Friday 2 May 2025)
        (date(2025, 4, 28), date(2025, 5, 8)),
        # Giỗ Tổ Hùng Vương on a Sunday in 2026: Monday 27 April is off instead
        (date(2026, 4, 24), date(2026, 5, 6)),
    ],
)
def test_public_holidays_are_not_working_days(held_on, deadline):
    assert add_working_days(held_on, 5) == deadline


def test_the_reminder_lasts_until_the_notice_is_issued(app_ctx, finished_forum):
    forum = finished_forum.forum()
    assert notice_deadline(forum) == date(2023, 5, 30)
    assert notice_reminder(forum, date(2023, 5, 30)).overdue is False
    assert notice_reminder(forum, date(2023, 5, 31)).overdue is True
    save(finished_forum)
    issue_document(forum, DocumentKind.NOTICE, user=db.session.merge(finished_forum.secretary),
                   now=AFTER)  # fmt: skip

    assert notice_reminder(forum, date(2023, 5, 31)) is None


def test_the_generator_takes_plain_data(app_ctx, finished_forum):
    """The PDF depends only on the data: the same data, the same bytes."""
    forum = finished_forum.forum()
    data = minutes_data(forum, draft_for(forum))

    assert render_minutes(data) == render_minutes(data)


def test_the_first_revision_lists_what_differs_from_the_forums_defaults(app_ctx, finished_forum):
    outcome = save(finished_forum)

    fields = [change['field'] for change in outcome.revision.changes]
    assert 'conclusions' in fields and 'minutes_number' in fields
    assert 'chair_name' not in fields and 'chair_title' not in fields  # the forum's chair
