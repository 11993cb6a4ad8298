"""The live queue in real browsers against the real server: a delegate sends from their phone, a
moderator approves it and puts it on screen, the big screen shows it, all without a reload; votes,
the operators' page, reordering by two moderators at once, error messages, and a version gap that
makes a page ask for a fresh snapshot."""

import re
import time
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from tests.servers import call_api

DEMO_PASSWORD = 'hagiang2023'
MODERATOR = 'moderator@hagiang.example'
ORGANISER = 'organiser@hagiang.example'
HUB_OPERATOR = 'operator@hagiang.example'


@dataclass
class Demo:
    """The Hà Giang demo forum; delegates to use (each once), tokens for the API."""

    server: object
    forum_id: int
    hub_id: int
    moderator_token: str
    delegates: list = field(default_factory=list)

    def delegate(self) -> dict:
        return self.delegates.pop()

    def ask(self, delegate, text, **extra) -> int:
        body = {'text': text, 'code': delegate['code'], **extra}
        return call_api(self.server, f'/api/v1/forums/{self.forum_id}/questions', body=body)['id']

    def moderate(self, question_id, **changes) -> dict:
        return call_api(
            self.server,
            f'/api/v1/questions/{question_id}',
            token=self.moderator_token,
            body=changes,
            method='PATCH',
        )


@pytest.fixture(scope='module')
def demo(live_server):
    output = live_server.cli('seed-demo', '--delegates', '300')
    forum_id = int(re.search(r'Demo forum (\d+)', output).group(1))
    token = lambda email: call_api(  # noqa: E731
        live_server, '/api/v1/auth/token', body={'email': email, 'password': DEMO_PASSWORD}
    )['token']
    organiser = token(ORGANISER)
    venues = call_api(
        live_server, f'/api/v1/forums/{forum_id}/venues?per_page=500', token=organiser
    )
    hub_id = next(v['id'] for v in venues['items'] if v['tier'] == 'province')
    delegates = call_api(
        live_server, f'/api/v1/forums/{forum_id}/delegates?per_page=500', token=organiser
    )['items']
    # Each test takes fresh delegates: a delegate may send only a few items a minute.
    return Demo(live_server, forum_id, hub_id, token(MODERATOR), delegates=delegates)


@pytest.fixture
def pages(browser, live_server):
    """Open pages in separate browsers (contexts); none may raise a JavaScript error."""
    contexts, errors = [], []

    def open_page(path, *, sign_in_as=None):
        context = browser.new_context(
            base_url=live_server.url, viewport={'width': 1280, 'height': 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on('pageerror', lambda error: errors.append(f'{page.url}: {error}'))
        if sign_in_as:
            page.goto('/login')
            page.get_by_label('Email').fill(sign_in_as)
            page.get_by_label('Mật khẩu').fill(DEMO_PASSWORD)
            page.get_by_role('button', name='Đăng nhập').click()
            page.wait_for_url('**/forums')
        page.goto(path)
        expect(page.get_by_test_id('live-status')).to_have_attribute('data-live', 'live')
        page.wait_for_function('() => window.__live && window.__live.snapshots > 0')
        page.evaluate('window.__opened = true')  # gone if the page ever reloads
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == []


def never_reloaded(*opened):
    for page in opened:
        assert page.evaluate('window.__opened === true'), f'{page.url} was reloaded'


def test_a_question_goes_from_a_phone_through_moderation_to_the_big_screen(pages, demo):
    person = demo.delegate()
    screen = pages(
        f'/forums/{demo.forum_id}/screen?venue={person["venue_id"]}', sign_in_as=ORGANISER
    )
    desk = pages(f'/forums/{demo.forum_id}/moderation', sign_in_as=MODERATOR)
    phone = pages(f'/i/{person["code"]}')
    text = f'Đề nghị tăng kinh phí truyền thông cho cấp xã ({time.monotonic_ns()})'

    # The delegate asks to speak, with a proposal.
    phone.get_by_label('Kiến nghị, đề xuất').check()
    phone.get_by_label('Đăng ký phát biểu').check()
    phone.get_by_test_id('ask-text').fill(text)
    phone.get_by_test_id('ask-submit').click()
    expect(phone.get_by_test_id('ask-feedback')).to_have_attribute('data-state', 'sent')
    mine = phone.get_by_test_id('my-questions').locator('li', has_text=text)
    expect(mine.get_by_test_id('my-status')).to_have_text('Chờ duyệt')

    # A moderator sees it arrive, approves it, then puts it on screen.
    pending = desk.get_by_test_id('pending').locator('.qa-card', has_text=text)
    expect(pending).to_be_visible()
    expect(pending).to_contain_text(person['full_name'])
    pending.get_by_test_id('approve').click()
    approved = desk.get_by_test_id('approved').locator('.qa-card', has_text=text)
    expect(approved).to_be_visible()
    expect(mine.get_by_test_id('my-status')).to_have_text('Đã duyệt, đang chờ đến lượt')
    approved.get_by_test_id('to-screen').click()
    on_screen = desk.get_by_test_id('current').locator('.qa-card', has_text=text)
    expect(on_screen).to_be_visible()

    # The big screen of the delegate's bridge point shows it, with who asks and from where.
    expect(screen.get_by_test_id('screen-current-text')).to_have_text(text)
    expect(screen.get_by_test_id('screen-current-author')).to_contain_text(person['full_name'])
    speaker = screen.get_by_test_id('speaking-order').locator(
        'li[data-id]', has_text=person['full_name']
    )
    expect(speaker).to_have_class(re.compile('is-current'))
    expect(speaker).to_have_class(re.compile('is-own'))

    # The delegate's phone follows: on screen now; they vote for it, once.
    current = phone.get_by_test_id('public-queue').locator(
        'li[data-status="current"]', has_text=text
    )
    expect(current).to_be_visible()
    expect(mine.get_by_test_id('my-status')).to_have_text('Đang trình chiếu')
    current.get_by_test_id('vote').click()
    expect(current.get_by_test_id('vote')).to_have_text('Đã bình chọn')
    expect(current.get_by_test_id('vote')).to_be_disabled()
    expect(current.get_by_test_id('votes')).to_have_text('1 bình chọn')  # coalesced, ~1 s
    expect(on_screen.get_by_test_id('votes')).to_have_text('1 bình chọn')

    # Answered, with who answered and the response: it leaves the screen for the archive.
    on_screen.get_by_test_id('answered').click()
    on_screen.get_by_test_id('answered-by').fill('Trần Đức Quý')
    on_screen.get_by_test_id('response').fill('Tiếp thu; Sở Tài chính tham mưu bố trí kinh phí.')
    on_screen.get_by_test_id('answer-save').click()
    archived = desk.get_by_test_id('archive').locator('.qa-card', has_text=text)
    expect(archived).to_contain_text('Tiếp thu; Sở Tài chính tham mưu bố trí kinh phí.')
    expect(screen.get_by_test_id('screen-current')).to_have_attribute('data-state', 'empty')
    expect(mine.get_by_test_id('my-status')).to_have_text('Đã trả lời')
    expect(mine).to_contain_text('Trả lời: Trần Đức Quý')
    never_reloaded(screen, desk, phone)


def test_a_second_vote_from_another_phone_says_already_voted(pages, demo):
    author, voter = demo.delegate(), demo.delegate()
    question_id = demo.ask(author, f'Ý kiến về kênh Zalo của xã ({time.monotonic_ns()})')
    demo.moderate(question_id, status='approved')
    call_api(demo.server, f'/api/v1/questions/{question_id}/votes', body={'code': voter['code']})
    phone = pages(f'/i/{voter["code"]}')  # a fresh browser: it does not know about that vote
    item = phone.get_by_test_id('public-queue').locator(f'li[data-id="{question_id}"]')
    expect(item.get_by_test_id('vote')).to_have_text('Bình chọn')
    item.get_by_test_id('vote').click()
    expect(item.get_by_test_id('vote')).to_have_text('Đã bình chọn')
    expect(item.get_by_test_id('votes')).to_have_text('1 bình chọn')


def test_the_delegate_is_told_why_an_item_was_not_taken(pages, demo):
    person = demo.delegate()
    phone = pages(f'/i/{person["code"]}')
    feedback = phone.get_by_test_id('ask-feedback')
    phone.get_by_test_id('ask-text').fill('ab')
    phone.get_by_test_id('ask-submit').click()
    expect(feedback).to_have_text('Nội dung quá ngắn.')
    for number in range(3):
        phone.get_by_test_id('ask-text').fill(f'Câu hỏi thứ {number + 1} về chuyển đổi số')
        phone.get_by_test_id('ask-submit').click()
        expect(feedback).to_have_attribute('data-state', 'sent')
        expect(phone.get_by_test_id('my-questions').locator('li')).to_have_count(number + 1)
        phone.evaluate("document.querySelector('[data-testid=ask-feedback]').dataset.state = ''")
    phone.get_by_test_id('ask-text').fill('Câu hỏi thứ 4, gửi quá nhanh')
    phone.get_by_test_id('ask-submit').click()
    expect(feedback).to_contain_text('gửi quá nhanh')
    expect(feedback).to_have_attribute('data-state', 'error')


def test_a_gap_in_versions_makes_the_page_ask_for_a_snapshot(pages, demo):
    phone = pages(f'/i/{demo.delegate()["code"]}')
    before = phone.evaluate(
        '({snapshots: window.__live.snapshots, version: window.__live.version})'
    )
    phone.evaluate(
        """() => window.__live.feed('question', {
            id: 987654321, visible: true, text: 'không bao giờ hiện', kind: 'question',
            mode: 'written', status: 'approved', position: 1, votes: 0,
            venue: {id: 0, name: '?', tier: 'province'}, author: null,
            version: window.__live.version + 5, ts: Date.now() / 1000})"""
    )
    phone.wait_for_function(
        f'() => window.__live.snapshots > {before["snapshots"]} && !window.__live.waiting'
    )
    after = phone.evaluate(
        '({resyncs: window.__live.resyncs, version: window.__live.version,'
        ' waiting: window.__live.waiting})'
    )
    assert after['resyncs'] >= 1
    assert after['waiting'] is False
    assert after['version'] >= before['version']
    # The made-up event is not applied: the server never reached its version.
    expect(phone.get_by_test_id('public-queue')).not_to_contain_text('không bao giờ hiện')


def test_an_operator_registers_a_speaker_and_follows_the_speaking_order(pages, demo):
    operator = pages(f'/venues/{demo.hub_id}/questions', sign_in_as=HUB_OPERATOR)
    name = f'Hoàng Văn Nam {time.monotonic_ns() % 10_000}'
    operator.get_by_label('Họ và tên').fill(name)
    operator.get_by_label('Chức vụ').fill('Bí thư Đoàn xã')
    operator.get_by_label('Nội dung').fill('Xin phát biểu về chuyển đổi số ở thôn bản')
    operator.get_by_role('button', name='Gửi cho điều phối viên').click()
    expect(operator.get_by_test_id('register-feedback')).to_have_attribute('data-state', 'sent')
    own = operator.get_by_test_id('venue-items').locator('li', has_text=name)
    expect(own.get_by_test_id('status')).to_have_text('Chờ duyệt')

    question_id = int(
        re.search(r'#(\d+)', operator.get_by_test_id('register-feedback').inner_text()).group(1)
    )
    demo.moderate(question_id, status='approved')
    expect(own.get_by_test_id('status')).to_have_text('Đã duyệt')
    speaker = operator.get_by_test_id('speaking-order').locator(f'li[data-id="{question_id}"]')
    expect(speaker).to_contain_text(name)
    expect(speaker).to_have_class(re.compile('is-own'))
    demo.moderate(question_id, status='dismissed')  # leave the shared queue as it was
    expect(speaker).to_have_count(0)


def eventually(check, timeout=10.0):
    """Poll ``check`` from here: a page's own polling may be paused while it is in background."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.1)


def test_two_moderators_reorder_the_queue_and_see_each_others_moves(pages, demo):
    stamp = time.monotonic_ns()
    ids = []
    for number in range(3):
        question_id = demo.ask(demo.delegate(), f'Mục {number + 1} để sắp xếp ({stamp})')
        demo.moderate(question_id, status='approved')
        ids.append(question_id)
    first = pages(f'/forums/{demo.forum_id}/moderation', sign_in_as=MODERATOR)
    second = pages(f'/forums/{demo.forum_id}/moderation', sign_in_as=ORGANISER)
    card = lambda page, question_id: page.get_by_test_id('approved').locator(  # noqa: E731
        f'.qa-card[data-id="{question_id}"]'
    )

    def order(page):
        shown = page.get_by_test_id('approved').locator('.qa-card')
        listed = shown.evaluate_all('cards => cards.map(card => Number(card.dataset.id))')
        return [question_id for question_id in listed if question_id in ids]

    expect(card(first, ids[2])).to_be_visible()
    assert order(first) == ids

    # The keyboard way: the third item moves up one place; the other moderator sees it.
    card(first, ids[2]).get_by_test_id('up').click()
    for page in (first, second):
        eventually(lambda page=page: order(page) == [ids[0], ids[2], ids[1]])

    # Drag and drop, on the second moderator's page: the last item goes above the first one.
    card(second, ids[1]).locator('.qa-drag').drag_to(
        card(second, ids[0]), target_position={'x': 40, 'y': 5}
    )
    for page in (first, second):
        eventually(lambda page=page: order(page) == [ids[1], ids[0], ids[2]])
    for question_id in ids:  # leave the shared queue as it was
        demo.moderate(question_id, status='dismissed')
    never_reloaded(first, second)


def test_a_moderator_edits_merges_and_restores_from_the_archive(pages, demo):
    stamp = time.monotonic_ns()
    original = demo.ask(demo.delegate(), f'kinh phi truyen thong o dau ({stamp})')
    duplicate = demo.ask(demo.delegate(), f'Kinh phí truyền thông lấy ở đâu? ({stamp})')
    held = demo.ask(demo.delegate(), f'Đồ khốn nạn, trả lời đi ({stamp})')
    desk = pages(f'/forums/{demo.forum_id}/moderation', sign_in_as=MODERATOR)
    pending = desk.get_by_test_id('pending')
    card = lambda question_id: desk.locator(f'.qa-card[data-id="{question_id}"]')  # noqa: E731

    # The profanity filter's catch carries a badge; it is dismissed, then brought back.
    expect(card(held).get_by_test_id('held')).to_have_text('có từ ngữ cần xem')
    card(held).get_by_test_id('dismiss').click()
    expect(desk.get_by_test_id('archive').locator(f'.qa-card[data-id="{held}"]')).to_be_visible()
    card(held).get_by_test_id('restore').click()
    expect(pending.locator(f'.qa-card[data-id="{held}"]')).to_be_visible()
    card(held).get_by_test_id('dismiss').click()

    # Edited before approving: the new text goes out, the original stays visible to moderators.
    card(original).get_by_test_id('edit').click()
    card(original).get_by_test_id('edit-text').fill(f'Kinh phí truyền thông ở đâu? ({stamp})')
    card(original).get_by_test_id('save-approve').click()
    approved = desk.get_by_test_id('approved').locator(f'.qa-card[data-id="{original}"]')
    expect(approved.get_by_test_id('text')).to_have_text(f'Kinh phí truyền thông ở đâu? ({stamp})')
    expect(approved).to_contain_text(f'kinh phi truyen thong o dau ({stamp})')

    # The duplicate is merged into it: it leaves the desk.
    card(duplicate).get_by_test_id('merge-pick').check()
    approved.get_by_test_id('merge-here').click()
    expect(card(duplicate)).to_have_count(0)
    expect(approved).to_be_visible()
    demo.moderate(original, status='dismissed')  # leave the shared queue as it was
    expect(card(original)).to_be_visible()  # in the archive
    never_reloaded(desk)


def test_hiding_names_reaches_the_screen_and_phones_at_once(pages, demo):
    person = demo.delegate()
    question_id = demo.ask(person, f'Ý kiến về bản tin phát thanh thôn ({time.monotonic_ns()})')
    demo.moderate(question_id, status='approved')
    demo.moderate(question_id, status='current')
    screen = pages(f'/forums/{demo.forum_id}/screen', sign_in_as=ORGANISER)
    phone = pages(f'/i/{demo.delegate()["code"]}')
    desk = pages(f'/forums/{demo.forum_id}/moderation', sign_in_as=MODERATOR)
    author = screen.get_by_test_id('screen-current-author')
    on_phone = phone.get_by_test_id('public-queue').locator(f'li[data-id="{question_id}"]')
    expect(author).to_contain_text(person['full_name'])
    expect(on_phone.get_by_test_id('author')).to_contain_text(person['full_name'])
    switch = desk.get_by_test_id('names-shown')
    try:
        switch.uncheck()
        expect(author).to_have_text('')  # the screen resynced and read the new setting
        expect(on_phone.get_by_test_id('author')).to_have_count(0)
        expect(on_phone).to_be_visible()
    finally:
        switch.check()
    expect(author).to_contain_text(person['full_name'])
    expect(on_phone.get_by_test_id('author')).to_contain_text(person['full_name'])
    demo.moderate(question_id, status='dismissed')  # leave the shared queue as it was
    never_reloaded(screen, phone, desk)


def test_a_reissued_code_ends_the_open_page_of_the_old_one(pages, demo, browser, live_server):
    """The organiser reissues a forwarded invitation: the phone that holds the old code loses
    the live queue within seconds and says so; it does not reconnect."""
    delegate = demo.delegate()
    phone = pages(f'/i/{delegate["code"]}')
    context = browser.new_context(base_url=live_server.url)
    desk = context.new_page()
    desk.goto('/login')
    desk.get_by_label('Email').fill(ORGANISER)
    desk.get_by_label('Mật khẩu').fill(DEMO_PASSWORD)
    desk.get_by_role('button', name='Đăng nhập').click()
    desk.wait_for_url('**/forums')
    desk.goto(f'/delegates/{delegate["id"]}/invitation')
    desk.once('dialog', lambda dialog: dialog.accept())
    desk.get_by_role('button', name='Thu hồi mã và cấp mã mới').click()
    expect(desk.get_by_text('Đã thu hồi mã cũ và cấp mã mới')).to_be_visible()
    status = phone.get_by_test_id('live-status')
    expect(status).to_have_attribute('data-live', 'refused', timeout=10_000)
    time.sleep(2)  # socket.io gives up on a connection the server closed: it stays refused
    expect(status).to_have_attribute('data-live', 'refused')
    context.close()
