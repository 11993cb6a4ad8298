"""``GET /api/v1/forums/{fid}/invitations.pdf``: organisers print the invitations, each QR works."""

import pytest

from forum.auth.models import UserRole
from tests.invitations.pdfs import page_qr_codes, page_texts

LUNG_CU, DONG_VAN = '00715', '026'  # a commune and its district


@pytest.fixture
def invited(create_forum, create_delegate):
    """A forum with three delegates at Lũng Cú, one at the hub, none at Đồng Văn."""
    forum = create_forum(unit_codes=[LUNG_CU])
    venues = {venue.unit_code: venue for venue in forum.venues}
    lung_cu = venues[LUNG_CU]
    delegates = [
        create_delegate(forum, 'Nguyễn Thị Thảo', venue=lung_cu, position='Chủ tịch UBND xã'),
        create_delegate(forum, 'Đặng Ưng Ơn', venue=lung_cu, position='Bí thư Đảng ủy xã'),
        create_delegate(forum, 'Sùng Mí Chứ', venue=lung_cu, position='Trưởng thôn Lô Lô Chải'),
        create_delegate(forum, 'Vàng Mí Sử', position='Phó Giám đốc Sở'),
    ]
    return forum, venues, delegates


@pytest.fixture
def organiser_headers(create_user, api_token):
    return api_token(create_user(UserRole.ORGANISER))


def get_pdf(client, forum_id, headers, **params):
    return client.get(f'/api/v1/forums/{forum_id}/invitations.pdf', query_string=params,
                      headers=headers)  # fmt: skip


def test_organiser_downloads_a_bridge_points_invitations_with_working_qr_codes(
    app, client, invited, organiser_headers
):
    forum, venues, delegates = invited
    at_lung_cu = delegates[:3]

    response = get_pdf(client, forum.id, organiser_headers, venue=venues[LUNG_CU].id)

    assert response.status_code == 200
    assert response.mimetype == 'application/pdf'
    disposition = response.headers['Content-Disposition']
    assert disposition.startswith('attachment; filename="giay-moi-xa-lung-cu.pdf"')
    assert (
        "filename*=UTF-8''Gi%E1%BA%A5y%20m%E1%BB%9Di%20-%20X%C3%A3%20L%C5%A9ng%20C%C3%BA.pdf"
        in (disposition)
    )
    pdf = response.get_data()
    texts = page_texts(pdf)
    codes = page_qr_codes(pdf)
    assert len(texts) == len(at_lung_cu)
    # Vietnamese name order: by given name, Chứ ‹ Ơn ‹ Thảo.
    names = ['Sùng Mí Chứ', 'Đặng Ưng Ơn', 'Nguyễn Thị Thảo']
    assert [next(n for n in names if n in text) for text in texts] == names
    by_name = {delegate.full_name: delegate for delegate in at_lung_cu}
    public_url = app.config['PUBLIC_URL']
    for name, text, page_codes in zip(names, texts, codes, strict=True):
        delegate = by_name[name]
        assert page_codes == [f'{public_url}/i/{delegate.code}']
        assert delegate.short_code in text
        assert 'điểm cầu xã Lũng Cú' in text


def test_the_whole_forum_one_tier_or_chosen_delegates(client, invited, organiser_headers):
    forum, _venues, delegates = invited

    def pages(**params):
        response = get_pdf(client, forum.id, organiser_headers, **params)
        assert response.status_code == 200, response.get_data(as_text=True)
        return page_texts(response.get_data())

    assert len(pages()) == 4
    assert len(pages(tier='commune')) == 3
    (hub_page,) = pages(tier='province')
    assert 'Vàng Mí Sử' in hub_page
    chosen = pages(delegate=[delegates[0].id, delegates[3].id])
    assert ['Vàng Mí Sử' in chosen[0], 'Nguyễn Thị Thảo' in chosen[1]] == [True, True]  # Sử ‹ Thảo


def test_a_moderator_or_an_operator_gets_403(client, invited, create_user, api_token):
    forum, venues, _delegates = invited
    for user in (
        create_user(UserRole.MODERATOR),
        create_user(UserRole.OPERATOR, venues=[venues[LUNG_CU]]),
    ):
        response = get_pdf(client, forum.id, api_token(user), venue=venues[LUNG_CU].id)
        assert response.status_code == 403
        assert response.json['error']['code'] == 'forbidden'


def test_without_a_token_it_is_401(client, invited):
    forum, _venues, _delegates = invited

    response = get_pdf(client, forum.id, {})

    assert response.status_code == 401


def test_an_unknown_or_foreign_bridge_point_is_404(
    client, invited, create_forum, organiser_headers
):
    forum, _venues, _delegates = invited
    other = create_forum(title='Hội nghị khác', unit_codes=['027'])
    foreign = next(venue for venue in other.venues if venue.unit_code == '027')

    for venue_id in (999_999, foreign.id):
        response = get_pdf(client, forum.id, organiser_headers, venue=venue_id)
        assert response.status_code == 404
        assert response.json['error']['code'] == 'not_found'


def test_a_bridge_point_without_delegates_is_404(client, invited, organiser_headers):
    forum, venues, _delegates = invited

    response = get_pdf(client, forum.id, organiser_headers, venue=venues[DONG_VAN].id)

    assert response.status_code == 404
    assert response.json['error']['code'] == 'no_delegates'


def test_a_bad_tier_is_422(client, invited, organiser_headers):
    forum, _venues, _delegates = invited

    response = get_pdf(client, forum.id, organiser_headers, tier='village')

    assert response.status_code == 422


def test_the_openapi_document_describes_the_pdf(client):
    spec = client.get('/api/v1/openapi.json').json

    operation = spec['paths']['/api/v1/forums/{forum_id}/invitations.pdf']['get']
    assert 'application/pdf' in operation['responses']['200']['content']
    assert {'401', '403', '404'} <= set(operation['responses'])
    assert {p['name'] for p in operation['parameters']} >= {'venue', 'tier', 'delegate'}
