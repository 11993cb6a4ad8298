"""Least privilege: every page, API operation and Socket.IO connection against every kind of
caller, asserting exactly who gets in.

Each request is aimed at bridge point A's things (point A, a delegate invited there, their
check-in, their question), so the operator of A and the operator of B differ. A caller is let
in when the answer is not a refusal; a refusal is 401, 403, 404 for a thing that exists (every
id here exists), or a redirect to the sign-in page. A 500 fails whoever asked. A route that
is not in ``ROUTES`` fails ``test_every_route_is_placed`` until someone decides who may use it.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, time
from urllib.parse import urlsplit

import pytest

from config import TestConfig
from forum import create_app
from forum.auth.models import UserRole
from forum.extensions import db, socketio
from forum.jobs.models import Job, JobState
from forum.jobs.watch import NAMESPACE as JOBS
from forum.jobs.watch import stop_job_watcher
from forum.live import NAMESPACE as LIVE
from forum.live.coalesce import stop_coalescers
from forum.live.revocation import stop_revocation_watch
from tests.conftest import DEFAULT_PASSWORD, FreshDatabase, csrf_token_from

ANONYMOUS = 'anonymous'
DELEGATE = 'delegate'  # holds the 128-bit code of a delegate invited to point A
OPERATOR_A = 'operator of A'
OPERATOR_B = 'operator of B'
MODERATOR = 'moderator'
ORGANISER = 'organiser'
SECRETARY = 'secretary'
ADMIN = 'admin'
CALLERS = (ANONYMOUS, DELEGATE, OPERATOR_A, OPERATOR_B, MODERATOR, ORGANISER, SECRETARY, ADMIN)
STAFF_ROLES = {
    OPERATOR_A: UserRole.OPERATOR,
    OPERATOR_B: UserRole.OPERATOR,
    MODERATOR: UserRole.MODERATOR,
    ORGANISER: UserRole.ORGANISER,
    SECRETARY: UserRole.SECRETARY,
    ADMIN: UserRole.ADMIN,
}

EVERYONE = frozenset(CALLERS)
STAFF = frozenset(STAFF_ROLES)
POINT_A = frozenset({OPERATOR_A, ORGANISER, ADMIN})  # who works at point A's door
DESK = frozenset({MODERATOR, ORGANISER, ADMIN})  # who runs the queue
WHOLE_FORUM = frozenset({MODERATOR, ORGANISER, SECRETARY, ADMIN})  # staff who see every point
ORGANISERS = frozenset({ORGANISER, ADMIN})
SECRETARIAT = frozenset({ORGANISER, SECRETARY, ADMIN})
ADMINS = frozenset({ADMIN})
CODE_HOLDER = frozenset({DELEGATE})
NOBODY_BUT_THE_CODE = CODE_HOLDER


@dataclass(frozen=True)
class Route:
    """Who may use a route, and the request that tries it (``{name}`` filled from the world)."""

    allowed: frozenset
    path: str
    json: dict | None = None  # API body; ``None`` for pages (a form with the CSRF token)
    form: dict = field(default_factory=dict)
    api: bool = False
    order: int = 0  # requests that change what later ones find (sign-out, phase) come last


def page(allowed, path, order=0, **form):
    return Route(frozenset(allowed), path, form=form, order=order)


def api(allowed, path, json=None, order=0):
    return Route(frozenset(allowed), path, json=json, api=True, order=order)


# (method, rule) -> the route's place. Keep it in the order of `flask routes`.
ROUTES = {
    ('GET', '/'): page(EVERYONE, '/'),
    ('GET', '/account/password'): page(STAFF, '/account/password'),
    ('POST', '/account/password'): page(STAFF, '/account/password'),
    ('GET', '/admin/users'): page(ADMINS, '/admin/users'),
    ('POST', '/admin/users'): page(ADMINS, '/admin/users'),
    ('POST', '/admin/users/<int:user_id>/enabled'): page(
        ADMINS, '/admin/users/{spare_user}/enabled'
    ),
    ('POST', '/api/v1/auth/token'): api(EVERYONE, '/api/v1/auth/token', {}),
    ('POST', '/api/v1/checkins/<int:checkin_id>/undo'): api(
        POINT_A, '/api/v1/checkins/{checkin}/undo', {'reason': 'Nhầm người'}, order=1
    ),
    ('GET', '/api/v1/forums'): api(STAFF | CODE_HOLDER, '/api/v1/forums'),  # theirs
    ('GET', '/api/v1/forums/<int:forum_id>/attendance'): api(
        STAFF, '/api/v1/forums/{forum}/attendance'
    ),
    ('POST', '/api/v1/forums/<int:forum_id>/checkins'): api(
        POINT_A,
        '/api/v1/forums/{forum}/checkins',
        {'venue_id': '{venue_a}', 'code': '{short_code}'},
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/checkins/search'): api(
        STAFF, '/api/v1/forums/{forum}/checkins/search?q=Thao'
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/delegates'): api(
        STAFF, '/api/v1/forums/{forum}/delegates'
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/delegates/export.csv'): api(
        ORGANISERS, '/api/v1/forums/{forum}/delegates/export.csv'
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/delegates/export.xlsx'): api(
        ORGANISERS, '/api/v1/forums/{forum}/delegates/export.xlsx'
    ),
    ('POST', '/api/v1/forums/<int:forum_id>/delegates/import'): api(
        ORGANISERS, '/api/v1/forums/{forum}/delegates/import', {}
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/invitations.pdf'): api(
        ORGANISERS, '/api/v1/forums/{forum}/invitations.pdf'
    ),
    ('POST', '/api/v1/forums/<int:forum_id>/jobs'): api(
        ORGANISERS, '/api/v1/forums/{forum}/jobs', {'kind': 'delegates_export'}
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/minutes.pdf'): api(
        SECRETARIAT, '/api/v1/forums/{forum}/minutes.pdf'
    ),
    ('POST', '/api/v1/forums/<int:forum_id>/questions'): api(
        POINT_A | CODE_HOLDER,
        '/api/v1/forums/{forum}/questions',
        {'text': 'Xin hỏi về đường vào xã', 'venue_id': '{venue_a}', 'author_name': 'Lò Văn Sáng'},
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/questions'): api(
        STAFF | CODE_HOLDER, '/api/v1/forums/{forum}/questions'
    ),
    ('GET', '/api/v1/forums/<int:forum_id>/venues'): api(STAFF, '/api/v1/forums/{forum}/venues'),
    ('POST', '/api/v1/forums/<int:forum_id>/walk-ins'): api(
        POINT_A,
        '/api/v1/forums/{forum}/walk-ins',
        {'venue_id': '{venue_a}', 'full_name': 'Hoàng Văn Khách'},
    ),
    ('GET', '/api/v1/jobs/<int:job_id>'): api(ORGANISERS, '/api/v1/jobs/{file_job}'),
    ('GET', '/api/v1/jobs/<int:job_id>/result'): api(ORGANISERS, '/api/v1/jobs/{file_job}/result'),
    ('GET', '/api/v1/openapi.json'): api(EVERYONE, '/api/v1/openapi.json'),
    ('PATCH', '/api/v1/questions/<int:question_id>'): api(
        DESK, '/api/v1/questions/{question}', {'status': 'approved'}
    ),
    ('POST', '/api/v1/questions/<int:question_id>/merge'): api(
        DESK, '/api/v1/questions/{question}/merge', {'duplicates': ['{other_question}']}, order=1
    ),
    ('POST', '/api/v1/questions/<int:question_id>/votes'): api(
        CODE_HOLDER, '/api/v1/questions/{question}/votes', {'code': '{code}'}
    ),
    ('POST', '/api/v1/venues/<int:venue_id>/status'): api(
        POINT_A, '/api/v1/venues/{venue_a}/status', {'status': 'connected'}
    ),
    ('POST', '/checkins/<int:checkin_id>/back-in'): page(POINT_A, '/checkins/{checkin}/back-in'),
    ('POST', '/checkins/<int:checkin_id>/check-out'): page(
        POINT_A, '/checkins/{checkin}/check-out'
    ),
    ('POST', '/checkins/<int:checkin_id>/undo'): page(
        POINT_A, '/checkins/{checkin}/undo', order=1, reason='Nhầm người'
    ),
    ('GET', '/delegates/<int:delegate_id>/invitation'): page(
        ORGANISERS, '/delegates/{delegate}/invitation'
    ),
    ('POST', '/delegates/<int:delegate_id>/reissue-code'): page(
        ORGANISERS, '/delegates/{spare_delegate}/reissue-code'
    ),
    ('GET', '/forums'): page(STAFF, '/forums'),
    ('GET', '/forums/<int:forum_id>'): page(STAFF, '/forums/{forum}'),
    ('POST', '/forums/<int:forum_id>/advance'): page(
        ORGANISERS, '/forums/{forum}/advance', order=2
    ),
    ('GET', '/forums/<int:forum_id>/attendance'): page(STAFF, '/forums/{forum}/attendance'),
    ('GET', '/forums/<int:forum_id>/delegates'): page(STAFF, '/forums/{forum}/delegates'),
    ('GET', '/forums/<int:forum_id>/delegates/export.csv'): page(
        ORGANISERS, '/forums/{forum}/delegates/export.csv'
    ),
    ('POST', '/forums/<int:forum_id>/delegates/export.csv'): page(
        ORGANISERS, '/forums/{forum}/delegates/export.csv'
    ),
    ('GET', '/forums/<int:forum_id>/delegates/export.xlsx'): page(
        ORGANISERS, '/forums/{forum}/delegates/export.xlsx'
    ),
    ('POST', '/forums/<int:forum_id>/delegates/export.xlsx'): page(
        ORGANISERS, '/forums/{forum}/delegates/export.xlsx'
    ),
    ('GET', '/forums/<int:forum_id>/delegates/import'): page(
        ORGANISERS, '/forums/{forum}/delegates/import'
    ),
    ('POST', '/forums/<int:forum_id>/delegates/import'): page(
        ORGANISERS, '/forums/{forum}/delegates/import'
    ),
    ('GET', '/forums/<int:forum_id>/delegates/import/<int:job_id>'): page(
        ORGANISERS, '/forums/{forum}/delegates/import/{import_job}'
    ),
    ('GET', '/forums/<int:forum_id>/delegates/import/<int:job_id>/done'): page(
        ORGANISERS, '/forums/{forum}/delegates/import/{import_done_job}/done'
    ),
    ('POST', '/forums/<int:forum_id>/delegates/import/confirm'): page(
        ORGANISERS, '/forums/{forum}/delegates/import/confirm', job_id='{import_job}'
    ),
    ('GET', '/forums/<int:forum_id>/edit'): page(ORGANISERS, '/forums/{forum}/edit'),
    ('POST', '/forums/<int:forum_id>/edit'): page(ORGANISERS, '/forums/{forum}/edit'),
    # every staff member: an operator sees the answers of their own points only
    ('GET', '/forums/<int:forum_id>/invitations'): page(STAFF, '/forums/{forum}/invitations'),
    ('GET', '/forums/<int:forum_id>/invitations.pdf'): page(
        ORGANISERS, '/forums/{forum}/invitations.pdf'
    ),
    ('POST', '/forums/<int:forum_id>/invitations.pdf'): page(
        ORGANISERS, '/forums/{forum}/invitations.pdf'
    ),
    ('POST', '/forums/<int:forum_id>/invitations/mail'): page(
        ORGANISERS, '/forums/{forum}/invitations/mail'
    ),
    ('GET', '/forums/<int:forum_id>/invitations/mail/<int:job_id>'): page(
        STAFF,
        '/forums/{forum}/invitations/mail/{mail_job}',  # the dashboard's progress bar
    ),
    ('POST', '/forums/<int:forum_id>/invitations/mail/<int:job_id>/retry'): page(
        ORGANISERS, '/forums/{forum}/invitations/mail/{mail_job}/retry'
    ),
    ('POST', '/forums/<int:forum_id>/invitations/mail/confirm'): page(
        ORGANISERS, '/forums/{forum}/invitations/mail/confirm'
    ),
    ('GET', '/forums/<int:forum_id>/minutes'): page(SECRETARIAT, '/forums/{forum}/minutes'),
    ('POST', '/forums/<int:forum_id>/minutes'): page(SECRETARIAT, '/forums/{forum}/minutes'),
    ('POST', '/forums/<int:forum_id>/minutes/draft'): page(
        SECRETARIAT, '/forums/{forum}/minutes/draft'
    ),
    ('POST', '/forums/<int:forum_id>/minutes/issue/<any(minutes, notice):kind>'): page(
        SECRETARIAT, '/forums/{forum}/minutes/issue/minutes'
    ),
    ('GET', '/forums/<int:forum_id>/minutes/issued-by/<int:job_id>'): page(
        SECRETARIAT, '/forums/{forum}/minutes/issued-by/{issue_job}'
    ),
    ('GET', '/forums/<int:forum_id>/minutes/issued/<int:document_id>.pdf'): page(
        SECRETARIAT, '/forums/{forum}/minutes/issued/{document}.pdf'
    ),
    (
        'GET',
        '/forums/<int:forum_id>/minutes/preview/<any(minutes, notice):kind>.<any(pdf, docx):fmt>',
    ): page(SECRETARIAT, '/forums/{forum}/minutes/preview/minutes.docx'),
    (
        'POST',
        '/forums/<int:forum_id>/minutes/preview/<any(minutes, notice):kind>.<any(pdf, docx):fmt>',
    ): page(SECRETARIAT, '/forums/{forum}/minutes/preview/minutes.docx'),
    ('GET', '/forums/<int:forum_id>/moderation'): page(DESK, '/forums/{forum}/moderation'),
    ('POST', '/forums/<int:forum_id>/moderation/names'): page(
        DESK, '/forums/{forum}/moderation/names', show_names='y'
    ),
    ('GET', '/forums/<int:forum_id>/questions/export.<any(xlsx, csv):file_format>'): page(
        WHOLE_FORUM, '/forums/{forum}/questions/export.csv'
    ),
    ('POST', '/forums/<int:forum_id>/questions/export.<any(xlsx, csv):file_format>'): page(
        WHOLE_FORUM, '/forums/{forum}/questions/export.csv'
    ),
    # the hub's projector and each point's (``?venue=``)
    ('GET', '/forums/<int:forum_id>/screen'): page(STAFF, '/forums/{forum}/screen?venue={venue_a}'),
    ('GET', '/forums/<int:forum_id>/venues'): page(STAFF, '/forums/{forum}/venues'),
    ('GET', '/forums/<int:forum_id>/venues/choose'): page(
        ORGANISERS, '/forums/{forum}/venues/choose'
    ),
    ('POST', '/forums/<int:forum_id>/venues/choose'): page(
        ORGANISERS, '/forums/{forum}/venues/choose'
    ),
    ('GET', '/forums/new'): page(ORGANISERS, '/forums/new'),
    ('POST', '/forums/new'): page(ORGANISERS, '/forums/new'),
    ('GET', '/healthz'): page(EVERYONE, '/healthz'),
    ('GET', '/i/<code>'): page(CODE_HOLDER, '/i/{code}'),
    ('GET', '/i/<code>/giay-moi.pdf'): page(CODE_HOLDER, '/i/{code}/giay-moi.pdf'),
    ('GET', '/i/<code>/hoi-nghi.ics'): page(CODE_HOLDER, '/i/{code}/hoi-nghi.ics'),
    ('POST', '/i/<code>/rsvp'): page(CODE_HOLDER, '/i/{code}/rsvp', answer='attending'),
    ('GET', '/jobs/<int:job_id>'): page(ORGANISERS, '/jobs/{file_job}?stay=1'),
    ('GET', '/jobs/<int:job_id>/download'): page(ORGANISERS, '/jobs/{file_job}/download'),
    ('GET', '/login'): page(EVERYONE, '/login'),
    ('POST', '/login'): page(EVERYONE, '/login'),
    ('POST', '/logout'): page(STAFF, '/logout', order=3),
    ('GET', '/static/<path:filename>'): page(EVERYONE, '/static/css/forum.css'),
    ('GET', '/venues/<int:venue_id>'): page(POINT_A, '/venues/{venue_a}'),
    ('POST', '/venues/<int:venue_id>'): page(POINT_A, '/venues/{venue_a}'),
    ('GET', '/venues/<int:venue_id>/checkins'): page(POINT_A, '/venues/{venue_a}/checkins'),
    ('GET', '/venues/<int:venue_id>/questions'): page(POINT_A, '/venues/{venue_a}/questions'),
    ('GET', '/venues/<int:venue_id>/scan'): page(POINT_A, '/venues/{venue_a}/scan'),
    ('POST', '/venues/<int:venue_id>/status'): page(
        POINT_A, '/venues/{venue_a}/status', status='connected'
    ),
}


@dataclass
class World:
    """One forum with a hub and points A and B, its staff, and one of everything."""

    app: object
    ids: dict
    accounts: dict  # caller -> e-mail


def _seed(app) -> World:
    from forum.auth.services import create_user
    from forum.checkin.models import CheckIn, CheckInMethod
    from forum.delegates.models import Delegate
    from forum.forums.models import AgendaKind, ForumStatus, OfficialRole
    from forum.forums.services import AgendaItemData, ForumData, OfficialData, create_forum
    from forum.invitations.models import MailJob, MailJobStatus, MailKind
    from forum.minutes.models import DocumentKind, IssuedDocument
    from forum.qa.models import Question, QuestionKind, QuestionMode, QuestionStatus
    from forum.tiers.services import add_venues, load_administrative_units

    with app.app_context():
        db.create_all()
        load_administrative_units()
        forum = create_forum(
            ForumData(
                title='Tọa đàm kiểm tra quyền',
                host_body='Ủy ban nhân dân tỉnh Hà Giang',
                province_code='02',
                held_on=date(2023, 5, 23),
                starts_at=time(8, 0),
                ends_at=time(11, 30),
                tier_depth=3,
                officials=[OfficialData(OfficialRole.CHAIR, 'Trần Đức Quý', 'Phó Chủ tịch')],
                agenda=[AgendaItemData('Khai mạc', AgendaKind.OPENING, time(8, 0))],
            )
        )
        add_venues(forum, ['024', '026'])
        forum.status = ForumStatus.LIVE
        db.session.flush()
        point_a, point_b = (
            next(v for v in forum.venues if v.unit_code == c) for c in ('024', '026')
        )
        accounts, users = {}, {}
        for caller, role in STAFF_ROLES.items():
            email = f'{caller.replace(" ", "-")}@example.vn'
            venues = {OPERATOR_A: [point_a], OPERATOR_B: [point_b]}.get(caller, [])
            users[caller] = create_user(email, DEFAULT_PASSWORD, role, venues=venues)
            accounts[caller] = email
        spare_user = create_user('spare@example.vn', DEFAULT_PASSWORD, UserRole.OPERATOR)
        delegate = Delegate(forum_id=forum.id, venue_id=point_a.id, full_name='Nguyễn Thị Thảo')
        present = Delegate(forum_id=forum.id, venue_id=point_a.id, full_name='Vàng Seo Thào')
        spare = Delegate(forum_id=forum.id, venue_id=point_b.id, full_name='Lý Thị Mai')
        db.session.add_all([delegate, present, spare])
        db.session.flush()
        checkin = CheckIn(
            forum_id=forum.id,
            delegate_id=present.id,
            venue_id=point_a.id,
            by_user_id=users[OPERATOR_A].id,
            method=CheckInMethod.QR,
        )
        question, other = (
            Question(
                forum_id=forum.id,
                venue_id=point_a.id,
                delegate_id=delegate.id,
                text=text,
                original_text=text,
                kind=QuestionKind.QUESTION,
                mode=QuestionMode.WRITTEN,
                status=QuestionStatus.APPROVED,
                author_name=delegate.full_name,
            )
            for text in ('Đường vào xã bao giờ làm?', 'Bao giờ làm đường vào xã?')
        )
        organiser = users[ORGANISER]
        file_job = Job(
            kind='delegates_export',
            forum_id=forum.id,
            created_by_id=organiser.id,
            state=JobState.DONE,
            file_name='dai-bieu.csv',
            file_type='text/csv',
            file_content=b'x',
            file_size=1,
        )
        import_done_job = Job(
            kind='delegates_import',
            forum_id=forum.id,
            created_by_id=organiser.id,
            state=JobState.FAILED,
            error='Danh sách đã đổi.',
        )
        import_job = Job(
            kind='delegates_preview',
            forum_id=forum.id,
            created_by_id=organiser.id,
            state=JobState.FAILED,
            error='Tệp hỏng.',
        )
        issue_job = Job(
            kind='minutes_issue',
            forum_id=forum.id,
            created_by_id=users[SECRETARY].id,
            state=JobState.FAILED,
            error='Thiếu nội dung.',
        )
        mail_job = MailJob(
            forum_id=forum.id,
            kind=MailKind.INVITATION,
            status=MailJobStatus.DONE,
            created_by_id=organiser.id,
        )
        document = IssuedDocument(
            forum_id=forum.id,
            kind=DocumentKind.MINUTES,
            version=1,
            number='01/BB-UBND',
            issued_on=date(2023, 5, 23),
            sha256='0' * 64,
            size=5,
            pdf=b'%PDF-',
        )
        db.session.add_all([checkin, question, other, file_job, import_job, import_done_job])
        db.session.add(issue_job)
        db.session.add_all([mail_job, document])
        db.session.commit()
        ids = {
            'forum': forum.id,
            'venue_a': point_a.id,
            'delegate': delegate.id,
            'spare_delegate': spare.id,
            'spare_user': spare_user.id,
            'code': delegate.code,
            'short_code': present.short_code,
            'checkin': checkin.id,
            'question': question.id,
            'other_question': other.id,
            'file_job': file_job.id,
            'import_job': import_job.id,
            'import_done_job': import_done_job.id,
            'issue_job': issue_job.id,
            'mail_job': mail_job.id,
            'document': document.id,
        }
    return World(app, ids, accounts)


@pytest.fixture
def world(tmp_path):
    database = FreshDatabase('sqlite', tmp_path)
    app = create_app(
        TestConfig,
        {
            **database.app_overrides(),
            'JOBS_SQLITE_PATH': str(tmp_path / 'jobs.db'),
            'JOB_WAIT_SECONDS': 0,  # no worker runs: a job answers at once that it has started
        },
    )
    # after init: Flask-Limiter's shared extension would stay off for the next tests' apps
    app.config['RATELIMIT_ENABLED'] = False  # every refusal here is a permission, not a limit
    yield _seed(app)
    stop_coalescers(app)
    stop_revocation_watch(app)
    stop_job_watcher(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Caller:
    """A browser (session cookie) and an API client (bearer token or code) for one kind."""

    def __init__(self, world: World, kind: str):
        self.world, self.kind = world, kind
        self.client = world.app.test_client()
        self.token = None
        if kind in STAFF_ROLES:
            email = world.accounts[kind]
            form = {'email': email, 'password': DEFAULT_PASSWORD}
            login = self.client.get('/login').get_data(as_text=True)
            signed_in = self.client.post(
                '/login', data={**form, 'csrf_token': csrf_token_from(login)}
            )
            assert signed_in.status_code == 302, kind
            self.token = self.client.post('/api/v1/auth/token', json=form).json['token']
        page = '/account/password' if self.token else '/login'
        self.csrf = csrf_token_from(self.client.get(page).get_data(as_text=True))

    def fill(self, value):
        ids = dict(self.world.ids)
        if self.kind != DELEGATE:  # a code only its holder knows: the others guess
            ids['code'] = secrets.token_hex(16)
        if isinstance(value, str):
            filled = value.format(**ids)
            return int(filled) if filled.isdigit() and value.startswith('{') else filled
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        return value

    def send(self, method: str, route: Route):
        path = self.fill(route.path)
        if route.api:
            headers = {'Authorization': f'Bearer {self.token}'} if self.token else {}
            body = self.fill(route.json) if route.json is not None else None
            if self.kind == DELEGATE and 'code' not in (route.json or {}):
                # a delegate's only credential is their code
                path += ('&' if '?' in path else '?') + f'code={self.world.ids["code"]}'
            return self.client.open(path, method=method, json=body, headers=headers)
        data = {**self.fill(route.form), 'csrf_token': self.csrf} if method == 'POST' else None
        return self.client.open(path, method=method, data=data)


def refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302, 303, 307):
        to = urlsplit(response.headers['Location'])
        return to.path == '/login' and 'next=' in to.query  # (signing out ends on /login too)
    return False


@pytest.mark.parametrize('kind', CALLERS)
def test_each_caller_gets_exactly_what_they_are_allowed(world, kind):
    caller = Caller(world, kind)
    wrong = []
    for (method, rule), route in sorted(ROUTES.items(), key=lambda item: item[1].order):
        response = caller.send(method, route)
        # 503 is /healthz saying a part is down (no job worker runs here), not a failure
        assert response.status_code not in (500, 502), (method, rule, response.get_data()[:500])
        let_in = not refused(response)
        if let_in != (kind in route.allowed):
            verdict = 'let in' if let_in else 'refused'
            wrong.append(f'{method} {rule}: {verdict} ({response.status_code})')
    assert not wrong, f'{kind}:\n' + '\n'.join(wrong)


def test_every_route_is_placed(world):
    routes = {
        (method, rule.rule)
        for rule in world.app.url_map.iter_rules()
        for method in rule.methods - {'HEAD', 'OPTIONS'}
    }
    assert routes - ROUTES.keys() == set(), 'place these routes in ROUTES (who may use them?)'
    assert ROUTES.keys() - routes == set(), 'these routes no longer exist'


# Socket.IO: (namespace, event) -> who is let in. Disconnecting is everyone's.
SOCKET_EVENTS = {
    # a staff token of someone who sees the forum (both operators do), or a delegate's code
    (LIVE, 'connect'): EVERYONE - {ANONYMOUS},
    (LIVE, 'resync'): EVERYONE - {ANONYMOUS},  # a fresh snapshot, on a connection let in
    # a page following a job the caller may see (the organiser's export), or a forum's jobs
    (JOBS, 'connect'): ORGANISERS,
}


def _live_auth(caller: Caller) -> dict:
    auth = {'forum_id': caller.world.ids['forum']}
    if caller.token:
        auth['token'] = caller.token
    elif caller.kind == DELEGATE:
        auth['code'] = caller.world.ids['code']
    return auth


def _received(live, namespace, name) -> list:
    return [e for e in live.get_received(namespace) if e['name'] == name]


@pytest.mark.parametrize('kind', CALLERS)
def test_each_caller_gets_exactly_the_live_channels_they_are_allowed(world, kind):
    caller = Caller(world, kind)
    let_in = {}
    live = socketio.test_client(world.app, namespace=LIVE, auth=_live_auth(caller))
    let_in[LIVE, 'connect'] = live.is_connected(LIVE)
    if live.is_connected(LIVE):
        live.get_received(LIVE)
        live.emit('resync', namespace=LIVE)
        snapshots = _received(live, LIVE, 'snapshot')
        let_in[LIVE, 'resync'] = bool(snapshots)
        assert all(s['args'][0]['forum_id'] == world.ids['forum'] for s in snapshots)
        live.disconnect(namespace=LIVE)
    else:
        let_in[LIVE, 'resync'] = False
    following = []
    for auth in ({'job_id': world.ids['file_job']}, {'forum_id': world.ids['forum']}):
        jobs = socketio.test_client(
            world.app, namespace=JOBS, auth=auth, flask_test_client=caller.client
        )
        following.append(jobs.is_connected(JOBS))
        if jobs.is_connected(JOBS):
            jobs.disconnect(namespace=JOBS)
    assert following[0] == following[1], 'one job and its forum’s jobs differ'
    let_in[JOBS, 'connect'] = following[0]
    expected = {event: kind in allowed for event, allowed in SOCKET_EVENTS.items()}
    assert let_in == expected


def test_every_socket_event_is_placed(world):
    handlers = {
        (namespace, name.removeprefix('on_'))
        for namespace, handler in socketio.server.namespace_handlers.items()
        for name in dir(handler)
        if name.startswith('on_') and name != 'on_disconnect'
    }
    assert handlers == SOCKET_EVENTS.keys(), 'place each Socket.IO event in SOCKET_EVENTS'
