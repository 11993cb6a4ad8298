"""Plain data for the generators: the Hà Giang seminar's minutes and notice, with an annex."""

import random
from datetime import date, time

from forum.documents.agenda import AgendaLine
from forum.minutes.records import (
    AnnexPoint,
    Meeting,
    MinutesData,
    NoticeData,
    Person,
    PointItems,
    PointTrouble,
    RaisedItem,
    Task,
    TierCount,
)

TITLE = 'Tọa đàm “Công tác truyền thông chính sách: Nhận thức - Hành động - Nguồn lực”'
CONCLUSIONS = (
    'Tọa đàm đã diễn ra nghiêm túc, đúng chương trình; các ý kiến tâm huyết, trách nhiệm.\n'
    '\n'
    '1. Về nhận thức: các cấp, các ngành quán triệt Chỉ thị số 07/CT-TTg ngày 21/3/2023.\n'
    '- Người đứng đầu trực tiếp chỉ đạo công tác truyền thông chính sách.\n'
    '• Bố trí kinh phí cho truyền thông ở cơ sở.\n'
    '2. Về nguồn lực: ưu tiên đào tạo đội ngũ Đặng Ưng Ơn và các cộng tác viên ở xã.'
)
TASKS = (
    Task('Sở Thông tin và Truyền thông', 'Tổng hợp ý kiến, tham mưu UBND tỉnh', date(2023, 6, 15)),
    Task('UBND các huyện, thành phố', 'Chỉ đạo các xã kiện toàn tổ truyền thông cơ sở'),
)
ANSWERED = RaisedItem(
    author='Nguyễn Thị Thảo',
    position='Chủ tịch UBND xã',
    body='UBND xã Lũng Cú',
    kind='question',
    text='Xin hỏi kinh phí cho truyền thông chính sách ở xã lấy từ nguồn nào?',
    answered=True,
    answered_by='Giám đốc Sở Thông tin và Truyền thông',
    response='Kinh phí bố trí từ nguồn sự nghiệp văn hóa - thông tin của huyện.',
)
UNANSWERED = RaisedItem(
    author='Đặng Ưng Ơn', kind='proposal', text='Đề nghị tập huấn kỹ năng cho cán bộ thôn bản.'
)


def meeting(**changes) -> Meeting:
    values = {
        'title': TITLE,
        'host_body': 'Ủy ban nhân dân tỉnh Hà Giang',
        'issuer_lines': ('Ủy ban nhân dân tỉnh Hà Giang',),
        'locality': 'Hà Giang',
        'held_on': date(2023, 5, 23),
        'starts_at': time(8, 0),
        'ends_at': time(11, 40),
        'hub_place': 'Hội trường tầng 3, trụ sở UBND tỉnh Hà Giang',
        'chairs': (
            Person('Vũ Quang Khải', 'Phó Chủ tịch UBND tỉnh'),
            Person('Nguyễn Văn Sơn', 'Giám đốc Sở Thông tin và Truyền thông'),
        ),
        'guests': (Person('Phạm Thị Hà', 'Phó Cục trưởng Cục Báo chí', 'Bộ TT&TT'),),
        'tiers': (
            TierCount('province', 1, 1, 180, 150),
            TierCount('district', 11, 11, 495, 400),
            TierCount('commune', 193, 190, 1425, 950),
        ),
        'conclusions': CONCLUSIONS,
        'tasks': TASKS,
        'chair_name': 'Vũ Quang Khải',
        'chair_title': 'Phó Chủ tịch UBND tỉnh',
        'secretary_name': 'Nguyễn Thị Hồng Nhung',
        'recipients': ('Thường trực Tỉnh ủy (b/c)', 'Các sở, ban, ngành tỉnh'),
    }
    values.update(changes)
    return Meeting(**values)


SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Hoàng', 'Vàng', 'Sùng', 'Giàng', 'Lò', 'Đặng', 'Ma']
MIDDLE = ['Thị', 'Văn', 'Mí', 'Seo', 'Đức', 'Ngọc']
GIVEN = ['Thảo', 'Ơn', 'Páo', 'Dở', 'Sáng', 'Chứ', 'Hùng', 'Lan', 'Ưng', 'Quý', 'Thủy']


def annex(rows: int, points: int = 205, seed: int = 7) -> tuple[AnnexPoint, ...]:
    """``rows`` delegates over ``points`` bridge points, about two in three present."""
    rng = random.Random(seed)
    result = []
    per_point = [rows // points + (1 if i < rows % points else 0) for i in range(points)]
    for index, size in enumerate(per_point):
        tier = 'province' if index == 0 else ('district' if index <= 11 else 'commune')
        people = []
        for _ in range(size):
            name = f'{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}'
            here = rng.random() < 0.7
            attendance = f'{8 + rng.randint(0, 1):02d}:{rng.randint(0, 59):02d}' if here else 'Vắng'
            people.append((name, 'Công chức Văn hóa - Xã hội', f'UBND xã số {index}', attendance))
        present = sum(1 for row in people if row[3] != 'Vắng')
        result.append(AnnexPoint(f'Xã số {index}', tier, 'connected', size, present, tuple(people)))
    return tuple(result)


def minutes(rows: int = 60, **changes) -> MinutesData:
    values = {
        'meeting': meeting(),
        'number': '05/BB-UBND',
        'troubles': (
            PointTrouble('Xã Thanh Vân', 'problem'),
            PointTrouble('Xã Lũng Cú', 'not_checked'),
        ),
        'walk_ins': 3,
        'agenda': (
            AgendaLine('Tuyên bố lý do, giới thiệu đại biểu', time(8, 0), 'Chánh Văn phòng Sở'),
            AgendaLine('Phát biểu khai mạc', time(8, 10), 'Đồng chí Vũ Quang Khải'),
            AgendaLine('Thảo luận', time(9, 30)),
        ),
        'raised': (
            PointItems('Xã Lũng Cú', (ANSWERED,)),
            PointItems('Huyện Đồng Văn', (UNANSWERED,)),
        ),
        'annex': annex(rows, points=min(rows, 205)) if rows else (),
    }
    values.update(changes)
    return MinutesData(**values)


def notice(**changes) -> NoticeData:
    values = {
        'meeting': meeting(),
        'number': '12/TB-UBND',
        'issued_on': date(2023, 5, 29),
        'signature_lines': ('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'),
        'signer_name': 'Vũ Quang Khải',
    }
    values.update(changes)
    return NoticeData(**values)
