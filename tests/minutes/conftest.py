"""A finished forum: bridge points at three tiers, delegates, check-ins (a walk-in and an undone
one among them), questions in every state of the live queue, and the staff who work on it."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from forum.auth.models import UserRole
from forum.checkin.door import check_in_delegate, register_walk_in
from forum.checkin.models import CheckIn
from forum.checkin.services import undo_check_in
from forum.delegates.models import Delegate
from forum.extensions import db
from forum.forums.models import Forum, ForumOfficial, ForumStatus, OfficialRole
from forum.forums.services import advance_forum_status
from forum.qa.models import QuestionKind, QuestionMode, QuestionStatus
from forum.qa.services import moderate_question, submit_question
from forum.tiers.models import ConnectionStatus
from tests.conftest import ensure_app_context

DOOR_OPENS = datetime(2023, 5, 23, 0, 40, tzinfo=UTC)  # 07:40 in Hà Giang

# (name, unit code of the point, position, checked in?)
PEOPLE = [
    ('Nguyễn Thị Thảo', '02', 'Phó Giám đốc Sở Tư pháp', True),
    ('Lò Văn Sáng', '02', 'Chuyên viên Văn phòng UBND tỉnh', False),
    ('Đặng Ưng Ơn', '024', 'Phó Chủ tịch UBND thành phố', True),
    ('Trần Văn Bình', '024', 'Chuyên viên', False),
    ('Giàng Mí Páo', '00688', 'Chủ tịch UBND phường', True),
    ('Vừ Thị Dở', '00688', 'Công chức Văn hóa - Xã hội', True),
    ('Hoàng Thủy Tiên', '00688', 'Trưởng tổ dân phố', False),
    ('Ma Seo Chứ', '00691', 'Bí thư Đoàn phường', False),
]
ANSWER = 'Kinh phí bố trí từ nguồn sự nghiệp văn hóa - thông tin; Sở sẽ hướng dẫn cụ thể.'


@dataclass
class FinishedForum:
    forum_id: int
    venue_ids: dict[str, int]  # by unit code
    secretary: object
    organiser: object
    moderator: object
    operator: object
    delegate_ids: dict[str, int] = field(default_factory=dict)
    answered: list[tuple[str, str]] = field(default_factory=list)  # (question, answer)
    approved_unanswered: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # pending or dismissed: not in the minutes

    def forum(self) -> Forum:
        return db.session.get(Forum, self.forum_id)


@pytest.fixture
def finished_forum(app, create_forum, create_user) -> FinishedForum:
    """A forum that took place and is closed, ready for its minutes."""
    forum = create_forum(
        title='Tọa đàm “Công tác truyền thông chính sách: Nhận thức - Hành động - Nguồn lực”',
        unit_codes=['024', '00688', '00691'],
        place='Hội trường tầng 3, trụ sở UBND tỉnh Hà Giang',
    )
    staff = {
        'secretary': create_user(UserRole.SECRETARY),
        'organiser': create_user(UserRole.ORGANISER),
        'moderator': create_user(UserRole.MODERATOR),
        'operator': create_user(UserRole.OPERATOR),
    }
    with ensure_app_context(app):
        forum = db.session.get(Forum, forum.id)
        forum.officials.append(
            ForumOfficial(role=OfficialRole.GUEST, position=5, name='Phạm Thị Hà',
                          title='Phó Cục trưởng Cục Báo chí', body='Bộ Thông tin và Truyền thông')
        )  # fmt: skip
        venues = {venue.unit_code: venue for venue in forum.venues}
        secretary = db.session.merge(staff['secretary'], load=True)
        moderator = db.session.merge(staff['moderator'], load=True)
        result = FinishedForum(
            forum_id=forum.id,
            venue_ids={code: venue.id for code, venue in venues.items()},
            **staff,
        )
        # The hub and the district reported a connection, one ward a problem, one nothing.
        venues['02'].connection_status = ConnectionStatus.CONNECTED
        venues['024'].connection_status = ConnectionStatus.CONNECTED
        venues['00688'].connection_status = ConnectionStatus.PROBLEM
        advance_forum_status(forum)  # inviting
        advance_forum_status(forum)  # live
        moment = DOOR_OPENS
        for name, code, position, present in PEOPLE:
            delegate = Delegate(forum_id=forum.id, venue_id=venues[code].id, full_name=name,
                                position=position, body=f'Đơn vị của {name}')  # fmt: skip
            db.session.add(delegate)
            db.session.flush()
            result.delegate_ids[name] = delegate.id
            if present:
                moment += timedelta(minutes=3)
                check_in_delegate(forum, delegate, venues[code], user=secretary, now=moment)
        # Checked in by mistake, then undone: absent.
        binh = db.session.get(Delegate, result.delegate_ids['Trần Văn Bình'])
        mistaken = check_in_delegate(forum, binh, venues['024'], user=secretary, now=moment)
        undo_check_in(
            db.session.get(CheckIn, mistaken.checkin_id),
            user=secretary,
            reason='nhầm người',
            now=moment,
        )
        register_walk_in(forum, venues['00691'], full_name='Sùng Thị Mỷ', position='Phóng viên',
                         body='Báo Hà Giang', user=secretary, now=moment)  # fmt: skip

        def ask(name, text, kind=QuestionKind.QUESTION):
            delegate = db.session.get(Delegate, result.delegate_ids[name])
            return submit_question(forum, text=text, kind=kind, mode=QuestionMode.WRITTEN,
                                   now=moment, delegate=delegate)  # fmt: skip

        def move(question, status, **answer):
            moderate_question(question, user=moderator, now=moment, status=status, **answer)

        questions = [
            ('Giàng Mí Páo', 'Kinh phí truyền thông chính sách ở phường lấy từ nguồn nào?', ANSWER),
            ('Đặng Ưng Ơn', 'Đề nghị tập huấn kỹ năng viết tin cho cán bộ cơ sở.',
             'Sở Thông tin và Truyền thông tiếp thu, tổ chức tập huấn trong quý III.'),
        ]  # fmt: skip
        for name, text, answer in questions:
            question = ask(name, text, QuestionKind.PROPOSAL if 'Đề nghị' in text else 'question')
            move(question, QuestionStatus.APPROVED)
            move(question, QuestionStatus.ANSWERED, response=answer,
                 answered_by='Giám đốc Sở Thông tin và Truyền thông')  # fmt: skip
            result.answered.append((text, answer))
        waiting = ask('Nguyễn Thị Thảo', 'Ý kiến về cơ chế phối hợp với báo chí địa phương.',
                      QuestionKind.OPINION)  # fmt: skip
        move(waiting, QuestionStatus.APPROVED)
        result.approved_unanswered.append(waiting.text)
        pending = ask('Vừ Thị Dở', 'Câu hỏi chưa được duyệt thì không vào biên bản?')
        result.hidden.append(pending.text)
        dismissed = ask('Nguyễn Thị Thảo', 'Câu hỏi bị loại không vào biên bản.')
        move(dismissed, QuestionStatus.DISMISSED)
        result.hidden.append(dismissed.text)
        advance_forum_status(forum)  # closed
        assert forum.status == ForumStatus.CLOSED
        db.session.commit()
    return result


@pytest.fixture(autouse=True)
def _jobs_run(job_worker):
    """The pages and the API of this area hand their heavy work to the job worker."""
