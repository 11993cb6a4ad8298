"""The database gone while the door is busy, in the real browser: the scanner keeps the scan
and says it waits, a page says the database cannot be reached, and when it returns the scan
lands by itself, once. The server runs on PostgreSQL through a link the test cuts."""

import re
import secrets
import uuid
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.test_checkin import scan_like_a_usb_scanner, sign_in_as_hub_operator
from tests.cut_link import CutLink
from tests.servers import LiveServer, call_api
from tests.test_faults import POSTGRES_URL

pytestmark = pytest.mark.browser

DEMO_ORGANISER = ('organiser@hagiang.example', 'hagiang2023')


@pytest.fixture
def server_on_a_cuttable_database(tmp_path):
    assert POSTGRES_URL, 'PostgreSQL is needed (set FORUM_TEST_DATABASE_URL; .ci/run does)'
    schema = f'outage_{uuid.uuid4().hex[:10]}'
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA {schema}')
    database = urlsplit(POSTGRES_URL)
    link = CutLink(database.hostname, database.port or 5432)
    server = LiveServer(tmp_path, secret_key=secrets.token_hex(16))
    through_link = database._replace(netloc=f'{database.username}@127.0.0.1:{link.port}')
    server.env['FORUM_DATABASE_URL'] = f'{through_link.geturl()}?options=-csearch_path%3D{schema}'
    server.cli('db', 'upgrade')
    output = server.cli('seed-demo', '--delegates', '40')
    server.forum_id = int(re.search(r'Demo forum (\d+)', output).group(1))
    server.start()
    yield server, link
    server.stop()
    link.close()
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA {schema} CASCADE')
    admin.dispose()


def test_the_door_keeps_its_scans_while_the_database_is_gone(
    browser, server_on_a_cuttable_database
):
    server, link = server_on_a_cuttable_database
    token = call_api(
        server,
        '/api/v1/auth/token',
        body={'email': DEMO_ORGANISER[0], 'password': DEMO_ORGANISER[1]},
    )['token']
    forum = server.forum_id
    venues = call_api(server, f'/api/v1/forums/{forum}/venues?per_page=500', token=token)
    hub_id = next(v['id'] for v in venues['items'] if v['tier'] == 'province')
    delegates = call_api(server, f'/api/v1/forums/{forum}/delegates?per_page=500', token=token)
    person = next(d for d in delegates['items'] if d['venue_id'] == hub_id)

    context = browser.new_context(base_url=server.url, viewport={'width': 412, 'height': 860})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in_as_hub_operator(page)
        page.goto(f'/venues/{hub_id}/scan')
        pending = page.get_by_test_id('pending-count')
        expect(pending).to_have_attribute('data-count', '0')

        link.cut()
        scan_like_a_usb_scanner(page, f'{server.url}/i/{person["code"]}')
        expect(pending).to_have_attribute('data-count', '1')
        expect(page.get_by_test_id('scan-result')).to_have_attribute('data-state', 'queued')

        other = context.new_page()
        other.goto('/forums')
        expect(other.get_by_test_id('database-unavailable')).to_contain_text(
            'Tạm thời không kết nối được cơ sở dữ liệu'
        )

        link.restore()
        # the scanner tries again by itself (every 5 s) and the scan lands, once
        expect(pending).to_have_attribute('data-count', '0', timeout=20_000)
        expect(page.get_by_test_id('scan-result')).to_have_attribute('data-state', 'checked_in')
        expect(other.get_by_role('heading', name='Hội nghị')).to_be_visible(timeout=20_000)
        query = urlencode({'q': person['full_name'], 'limit': 50})
        found = call_api(server, f'/api/v1/forums/{forum}/checkins/search?{query}', token=token)[
            'items'
        ]
        checkin = next(item['checkin'] for item in found if item['id'] == person['id'])
        assert checkin['venue_id'] == hub_id
        attendance = call_api(server, f'/api/v1/forums/{forum}/attendance', token=token)
        assert attendance['checked_in'] == 1
    finally:
        context.close()
