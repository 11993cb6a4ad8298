"""Who is invited to each kind of bridge point: positions, bodies and roles, in order of rank.

A roster lists the seats of one point, most senior first. A point with few delegates fills the
first seats; one with more than the roster lists repeats its staff seats (chuyên viên, trưởng
thôn, …), which are the ones a real list has many of.
"""

from dataclasses import dataclass
from itertools import cycle, islice

from forum.delegates.models import DelegateRole

# (body, title of its deputy head)
PROVINCIAL_DEPARTMENTS = [
    ('Văn phòng UBND tỉnh Hà Giang', 'Phó Chánh Văn phòng'),
    ('Sở Nội vụ tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Tư pháp tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Kế hoạch và Đầu tư tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Tài chính tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Công Thương tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Giao thông vận tải tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Xây dựng tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Tài nguyên và Môi trường tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Lao động - Thương binh và Xã hội tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Khoa học và Công nghệ tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Giáo dục và Đào tạo tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Y tế tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Sở Ngoại vụ tỉnh Hà Giang', 'Phó Giám đốc'),
    ('Ban Dân tộc tỉnh Hà Giang', 'Phó Trưởng ban'),
    ('Thanh tra tỉnh Hà Giang', 'Phó Chánh Thanh tra'),
]
PRESS_BODIES = [
    'Báo Hà Giang',
    'Đài Phát thanh và Truyền hình Hà Giang',
    'Báo Hà Giang',
    'Đài Phát thanh và Truyền hình Hà Giang',
    'Báo Nhân Dân, thường trú tại Hà Giang',
    'Thông tấn xã Việt Nam, thường trú tại Hà Giang',
    'Đài Tiếng nói Việt Nam, thường trú tại Hà Giang',
    'Báo Hà Giang',
    'Truyền hình Quốc hội Việt Nam',
    'Báo Điện tử Chính phủ',
]


@dataclass(frozen=True)
class Seat:
    """One invitation: the delegate's position (chức vụ), body (đơn vị) and role."""

    position: str
    body: str
    role: DelegateRole = DelegateRole.DELEGATE
    full_name: str = ''  # set for the people the agenda names; others are generated
    female: bool | None = None  # the women's union is led by women; other seats by anyone


@dataclass(frozen=True)
class Official:
    full_name: str
    position: str
    body: str


# Invented names: plausible, not those of the officials who actually took part.
CHAIR = Official('Vũ Quang Khải', 'Phó Chủ tịch UBND tỉnh', 'Ủy ban nhân dân tỉnh Hà Giang')
CO_CHAIR = Official(
    'Ma Thị Thanh Huyền',
    'Giám đốc Sở Thông tin và Truyền thông',
    'Sở Thông tin và Truyền thông tỉnh Hà Giang',
)
GUEST_OF_HONOUR = Official(
    'Đỗ Minh Triết', 'Phó Cục trưởng Cục Báo chí', 'Bộ Thông tin và Truyền thông'
)
EDITOR = Official('Nông Văn Thịnh', 'Tổng Biên tập', 'Báo Hà Giang')
ETHNIC_AFFAIRS_HEAD = Official('Giàng Seo Chúng', 'Trưởng ban', 'Ban Dân tộc tỉnh Hà Giang')


def _seat(official: Official, role: DelegateRole) -> Seat:
    return Seat(official.position, official.body, role, official.full_name)


def fill(roster: list[Seat], staff: list[Seat], count: int) -> list[Seat]:
    """The first ``count`` seats: the roster in order, then the staff seats over and over."""
    return list(islice([*roster, *islice(cycle(staff), max(0, count - len(roster)))], count))


def hub_seats(count: int) -> list[Seat]:
    """Seats at the province hub: chairs, guests, speakers, press, then the departments."""
    roster = [
        _seat(CHAIR, DelegateRole.CHAIR),
        _seat(CO_CHAIR, DelegateRole.CHAIR),
        _seat(GUEST_OF_HONOUR, DelegateRole.GUEST),
        Seat('Chuyên viên Cục Báo chí', 'Bộ Thông tin và Truyền thông', DelegateRole.GUEST),
        Seat('Phó Trưởng ban Thường trực', 'Ban Tuyên giáo Tỉnh ủy Hà Giang', DelegateRole.GUEST),
        _seat(EDITOR, DelegateRole.SPEAKER),
        _seat(ETHNIC_AFFAIRS_HEAD, DelegateRole.SPEAKER),
        *(
            Seat('Quay phim' if i == 3 else 'Phóng viên', body, DelegateRole.PRESS)
            for i, body in enumerate(PRESS_BODIES)
        ),
        Seat('Phó Giám đốc', 'Sở Thông tin và Truyền thông tỉnh Hà Giang'),
        Seat(
            'Trưởng phòng Thông tin - Báo chí - Xuất bản',
            'Sở Thông tin và Truyền thông tỉnh Hà Giang',
        ),
        Seat('Chánh Văn phòng', 'Sở Thông tin và Truyền thông tỉnh Hà Giang'),
        Seat('Phó Chủ tịch', 'Ủy ban MTTQ Việt Nam tỉnh Hà Giang'),
        Seat('Phó Bí thư', 'Tỉnh đoàn Hà Giang'),
        Seat('Phó Chủ tịch', 'Hội Liên hiệp Phụ nữ tỉnh Hà Giang', female=True),
        Seat('Phó Chủ tịch', 'Hội Nông dân tỉnh Hà Giang'),
        Seat('Phó Giám đốc', 'Công an tỉnh Hà Giang'),
        Seat('Phó Chính ủy', 'Bộ Chỉ huy Bộ đội Biên phòng tỉnh Hà Giang'),
        # Directive 07/CT-TTg asks every body to name a spokesperson.
        *(Seat(f'{deputy}, Người phát ngôn', body) for body, deputy in PROVINCIAL_DEPARTMENTS),
    ]
    staff = [
        Seat(position, body)
        for body, _deputy in PROVINCIAL_DEPARTMENTS
        for position in ('Trưởng phòng', 'Chuyên viên')
    ]
    staff += [
        Seat('Chuyên viên', 'Sở Thông tin và Truyền thông tỉnh Hà Giang'),
        Seat('Biên tập viên', 'Báo Hà Giang', DelegateRole.PRESS),
        Seat('Báo cáo viên', 'Ban Tuyên giáo Tỉnh ủy Hà Giang'),
    ]
    return fill(roster, staff, count)


def unit_short_name(name: str, kind: str) -> str:
    """'Huyện Đồng Văn' → 'huyện Đồng Văn', as it reads inside a sentence or a body's name."""
    return kind.lower() + name[len(kind) :] if kind and name.startswith(kind) else name


def district_seats(name: str, kind: str, count: int) -> list[Seat]:
    """Seats at a district (or city) point: its leaders, its offices, then their staff."""
    short = unit_short_name(name, kind)
    level = kind.lower()  # huyện, thành phố
    place = short[len(level) :].strip()
    party = f'Thành ủy {place}' if level == 'thành phố' else f'Huyện ủy {place}'
    youth = f'Thành đoàn {place}' if level == 'thành phố' else f'Huyện đoàn {place}'
    culture = f'Phòng Văn hóa và Thông tin {short}'
    centre = f'Trung tâm Văn hóa, Thể thao và Truyền thông {short}'
    office = f'Văn phòng HĐND và UBND {short}'
    offices = ['Nội vụ', 'Tư pháp', 'Giáo dục và Đào tạo', 'Y tế', 'Dân tộc']
    offices += ['Lao động - Thương binh và Xã hội', 'Tài chính - Kế hoạch']
    offices += ['Tài nguyên và Môi trường']
    if level == 'thành phố':
        offices += ['Kinh tế', 'Quản lý đô thị']
    else:
        offices += ['Nông nghiệp và Phát triển nông thôn', 'Kinh tế và Hạ tầng']
    roster = [
        Seat(f'Phó Chủ tịch UBND {level}', f'UBND {short}'),
        Seat(f'Trưởng phòng Văn hóa và Thông tin {level}', culture),
        Seat('Phó Trưởng ban', f'Ban Tuyên giáo {party}'),
        Seat('Giám đốc', centre),
        Seat('Phóng viên', centre, DelegateRole.PRESS),
        Seat('Chánh Văn phòng', office),
        Seat('Chủ tịch', f'Ủy ban MTTQ Việt Nam {short}'),
        *(Seat(f'Trưởng phòng {o}', f'Phòng {o} {short}') for o in offices),
        Seat('Bí thư', youth),
        Seat('Chủ tịch', f'Hội Liên hiệp Phụ nữ {short}', female=True),
        Seat('Chủ tịch', f'Hội Nông dân {short}'),
        Seat('Chủ tịch', f'Hội Cựu chiến binh {short}'),
        Seat('Phó Trưởng Công an', f'Công an {short}'),
    ]
    staff = [
        Seat('Chuyên viên', culture),
        Seat('Chuyên viên', office),
        Seat('Viên chức', centre),
        Seat('Báo cáo viên', f'Ban Tuyên giáo {party}'),
        *(Seat(f'Phó Trưởng phòng {o}', f'Phòng {o} {short}') for o in offices),
    ]
    return fill(roster, staff, count)


def commune_seats(name: str, kind: str, count: int) -> list[Seat]:
    """Seats at a commune (ward, township) point: its leaders, then village heads."""
    short = unit_short_name(name, kind)
    level = kind.lower()  # xã, phường, thị trấn
    committee = f'UBND {short}'
    roster = [
        Seat(f'Chủ tịch UBND {level}', committee),
        Seat('Bí thư Đảng ủy', f'Đảng ủy {short}'),
        Seat(f'Phó Chủ tịch UBND {level}', committee),
        Seat('Công chức Văn hóa - Xã hội', committee),
        Seat('Chủ tịch', f'Ủy ban MTTQ Việt Nam {short}'),
        Seat('Công chức Văn phòng - Thống kê', committee),
        Seat('Phó Bí thư Thường trực Đảng ủy', f'Đảng ủy {short}'),
        Seat('Bí thư Đoàn Thanh niên', f'Đoàn TNCS Hồ Chí Minh {short}'),
        Seat('Chủ tịch Hội Liên hiệp Phụ nữ', f'Hội LHPN {short}', female=True),
        Seat('Trưởng Công an', f'Công an {short}'),
        Seat('Nhân viên Đài truyền thanh', committee),
    ]
    village_head = 'Trưởng thôn' if level == 'xã' else 'Tổ trưởng tổ dân phố'
    staff = [
        Seat(village_head, short),
        Seat(village_head, short),
        Seat('Người có uy tín', short),
        Seat('Bí thư Chi bộ', f'Đảng ủy {short}'),
    ]
    return fill(roster, staff, count)
