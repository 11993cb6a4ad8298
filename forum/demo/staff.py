"""The demo's staff: one account per role, and operators at the hub, a district and a commune,
all with the demo password; created when missing, described either way."""

from dataclasses import dataclass, field

from forum.auth.models import User, UserRole
from forum.auth.services import create_user, find_user_by_email
from forum.extensions import db
from forum.forums.models import Forum

PROVINCE_CODE = '02'  # the hub's unit: Hà Giang
DEMO_PASSWORD = 'hagiang2023'
EMAIL_DOMAIN = 'hagiang.example'  # reserved (RFC 2606): invitations can never reach a real inbox
COMMUNE_OPERATOR_UNIT = '00715'  # Xã Lũng Cú, at the northern tip of the country
DISTRICT_OPERATOR_UNIT = '026'  # Huyện Đồng Văn


@dataclass(frozen=True)
class StaffAccount:
    email: str
    role: UserRole
    full_name: str
    unit_code: str | None = None  # an operator's bridge point


STAFF = [
    StaffAccount(f'admin@{EMAIL_DOMAIN}', UserRole.ADMIN, 'Quản trị hệ thống'),
    StaffAccount(f'organiser@{EMAIL_DOMAIN}', UserRole.ORGANISER, 'Hoàng Thu Trang'),
    StaffAccount(f'moderator@{EMAIL_DOMAIN}', UserRole.MODERATOR, 'Lê Minh Đức'),
    StaffAccount(f'secretary@{EMAIL_DOMAIN}', UserRole.SECRETARY, 'Nguyễn Thị Hồng Nhung'),
    StaffAccount(f'operator@{EMAIL_DOMAIN}', UserRole.OPERATOR, 'Trần Văn Tiến', PROVINCE_CODE),
    StaffAccount(
        f'operator.dongvan@{EMAIL_DOMAIN}',
        UserRole.OPERATOR,
        'Sùng Mí Chứ',
        DISTRICT_OPERATOR_UNIT,
    ),
    StaffAccount(
        f'operator.lungcu@{EMAIL_DOMAIN}', UserRole.OPERATOR, 'Vàng Thị Dợ', COMMUNE_OPERATOR_UNIT
    ),
]


@dataclass
class DemoLogin:
    """A staff account of the demo; ``password`` is None when it is not the demo password."""

    email: str
    role: UserRole
    password: str | None
    created: bool
    venues: list[str] = field(default_factory=list)


def ensure_staff(forum: Forum) -> list[DemoLogin]:
    """Create the demo accounts that are missing; describe every one of them."""
    venues = {venue.unit_code: venue for venue in forum.venues}
    logins: list[DemoLogin] = []
    for account in STAFF:
        venue = venues.get(account.unit_code) if account.unit_code else None
        if account.unit_code and venue is None:
            continue  # a district operator, in a forum without district points
        user: User | None = find_user_by_email(account.email)
        if user is None:
            user = create_user(
                account.email,
                DEMO_PASSWORD,
                account.role,
                full_name=account.full_name,
                venues=[venue] if venue else [],
            )
            logins.append(
                DemoLogin(user.email, user.role, DEMO_PASSWORD, True, [v.name for v in user.venues])
            )
        else:
            password = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else None
            logins.append(
                DemoLogin(user.email, user.role, password, False, [v.name for v in user.venues])
            )
    db.session.flush()
    return logins
