"""Invitation codes: unguessable, short codes without look-alikes, revocable."""

from forum.delegates.models import SHORT_CODE_ALPHABET
from forum.invitations.codes import find_by_code, looks_like_short_code, reissue_code


def test_codes_carry_128_random_bits_and_are_unique(app_ctx, create_forum, create_delegate):
    forum = create_forum()
    delegates = [create_delegate(forum, f'Đại biểu {n}') for n in range(50)]
    codes = {d.code for d in delegates}
    assert len(codes) == 50
    assert all(len(code) == 22 for code in codes)  # 16 bytes, base64url
    assert all(set(d.short_code) <= set(SHORT_CODE_ALPHABET) for d in delegates)
    assert not set('01OIL25SZB8') & set(SHORT_CODE_ALPHABET)


def test_a_short_code_is_found_however_it_is_typed(app_ctx, create_forum, create_delegate):
    delegate = create_delegate(create_forum(), 'Ma Thị Lan')
    typed = f' {delegate.short_code[:4].lower()}-{delegate.short_code[4:]} '
    assert looks_like_short_code(typed)
    assert find_by_code(typed).delegate.id == delegate.id


def test_a_revoked_code_says_whose_it_was(app_ctx, create_forum, create_delegate):
    from forum.extensions import db

    delegate = create_delegate(create_forum(), 'Ma Thị Lan')
    old_code, old_short = delegate.code, delegate.short_code
    reissue_code(db.session.merge(delegate))
    db.session.commit()
    for code in (old_code, old_short):
        lookup = find_by_code(code)
        assert lookup.delegate is None
        assert lookup.revoked.delegate_id == delegate.id


def test_a_code_of_another_forum_opens_nothing_here(app_ctx, create_forum, create_delegate):
    here, elsewhere = create_forum(), create_forum(title='Khác')
    delegate = create_delegate(elsewhere, 'Ma Thị Lan')
    assert find_by_code(delegate.code, forum_id=here.id).delegate is None
    assert find_by_code(delegate.code, forum_id=elsewhere.id).delegate.id == delegate.id
