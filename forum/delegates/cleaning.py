"""One imported value at a time: phone numbers, e-mail addresses, roles and bridge points.

Each ``clean_*`` function returns the canonical form to store, or raises ``ValueError`` with a
message for the user (Vietnamese, translated by the catalogue).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from forum.delegates.models import DelegateRole
from forum.text import matching_key, normalize_text, search_key

_PHONE_SEPARATORS = re.compile(r'[\s.\-()/]')
MOBILE = re.compile(r'0[35789]\d{8}')  # 10 digits: Viettel, VinaPhone, MobiFone, …
LANDLINE = re.compile(r'02\d{9}')  # 11 digits since 2017: 02 + area code + subscriber

# The role's Vietnamese label (as in forum.delegates.labels, whose msgids these are) is what an
# export writes, in every interface language, so that a file reads back the same.
ROLE_NAMES = {
    DelegateRole.CHAIR: 'Chủ trì',
    DelegateRole.GUEST: 'Khách mời',
    DelegateRole.SPEAKER: 'Báo cáo viên',
    DelegateRole.DELEGATE: 'Đại biểu',
    DelegateRole.PRESS: 'Báo chí',
}
_ROLE_WORDS = {search_key(name): role for role, name in ROLE_NAMES.items()} | {
    role.value: role for role in DelegateRole
}


def clean_phone(value: str) -> str:
    """A Vietnamese phone number in its national form, digits only: ``0912345678``.

    Accepts spaces, dots, dashes and brackets, the +84 or 84 prefix, and a mobile or landline
    number whose leading 0 Excel dropped when the cell was a number.
    """
    digits = _PHONE_SEPARATORS.sub('', value)
    if digits.startswith('+84'):
        digits = '0' + digits[3:]
    elif digits.startswith('0084'):
        digits = '0' + digits[4:]
    elif digits.startswith('84') and len(digits) in (11, 12):
        digits = '0' + digits[2:]
    elif re.fullmatch(r'[35789]\d{8}|2\d{9}', digits):
        digits = '0' + digits
    if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits):
        return digits
    raise ValueError(
        _(
            'Số điện thoại không hợp lệ: "%(value)s" (cần 10 chữ số bắt đầu bằng 0, '
            'số máy bàn 11 chữ số, hoặc +84…).',
            value=value,
        )
    )


def clean_email(value: str) -> str:
    """The e-mail address in its normalised form (the domain in lower case); not looked up."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(_('Email không hợp lệ: "%(value)s".', value=value)) from error


def clean_role(value: str) -> DelegateRole:
    """A role from its Vietnamese label ("Khách mời") or its English value ("guest")."""
    role = _ROLE_WORDS.get(search_key(value))
    if role is None:
        raise ValueError(
            _(
                'Vai trò không rõ: "%(value)s" (dùng %(choices)s).',
                value=value,
                choices=', '.join(ROLE_NAMES.values()),
            )
        )
    return role


# Bridge points ---------------------------------------------------------------------------------

# Words that may precede a unit's proper name, in search-key form, longest first.
_POINT_PREFIX = ('diem', 'cau')
_KIND_PREFIXES = (
    ('thanh', 'pho'),
    ('thi', 'xa'),
    ('thi', 'tran'),
    ('tinh',),
    ('huyen',),
    ('quan',),
    ('xa',),
    ('phuong',),
)
# Abbreviations of a kind, written out so that the full name matches.
_KIND_ABBREVIATIONS = {'tp': 'Thành phố', 'tp.': 'Thành phố', 'tt': 'Thị trấn', 'tt.': 'Thị trấn'}


@dataclass(frozen=True)
class VenueRef:
    """What an import needs of a bridge point."""

    id: int
    unit_code: str
    name: str


def _strip_prefix(words: list[str], prefixes: Iterable[tuple[str, ...]]) -> list[str]:
    folded = [search_key(word) for word in words]
    for prefix in prefixes:
        if len(words) > len(prefix) and tuple(folded[: len(prefix)]) == prefix:
            return words[len(prefix) :]
    return words


def _name_forms(text: str) -> tuple[str, str]:
    """The name without "Điểm cầu", and its proper name without the unit kind."""
    words = _strip_prefix(normalize_text(text).split(' '), [_POINT_PREFIX])
    if len(words) > 1 and (kind := _KIND_ABBREVIATIONS.get(search_key(words[0]))):
        words = [kind, *words[1:]]
    bare = _strip_prefix(words, _KIND_PREFIXES)
    return ' '.join(words), ' '.join(bare)


class VenueIndex:
    """Finds a forum's bridge point from what a list writes: its unit code or its name.

    Names match despite tone placement and case ("Xã Thanh Thủy", "xã thanh thuỷ"), with or
    without "Điểm cầu " and the unit kind ("Thanh Thủy"), and, failing that, without accents.
    A name two points share is refused as ambiguous rather than guessed.
    """

    def __init__(self, venues: Iterable[VenueRef]):
        self.venues = list(venues)
        self._by_code = {venue.unit_code: venue for venue in self.venues}
        self._indexes: list[dict[str, list[VenueRef]]] = [{}, {}, {}, {}]
        for venue in self.venues:
            full, bare = _name_forms(venue.name)
            for index, key in zip(self._indexes, self._keys(full, bare), strict=True):
                index.setdefault(key, []).append(venue)
        self._cache: dict[tuple[str, str], VenueRef] = {}

    @staticmethod
    def _keys(full: str, bare: str) -> tuple[str, str, str, str]:
        return matching_key(full), matching_key(bare), search_key(full), search_key(bare)

    def by_code(self, text: str) -> VenueRef:
        """The point of this unit code; leading zeros that Excel dropped are restored."""
        code = normalize_text(text)
        venue = self._by_code.get(code)
        if venue is None and code.isdigit():
            candidates = {self._by_code.get(code.zfill(width)) for width in (2, 3, 5)} - {None}
            if len(candidates) == 1:
                venue = candidates.pop()
        if venue is None:
            raise ValueError(
                _('Hội nghị không có điểm cầu mã "%(code)s".', code=normalize_text(text))
            )
        return venue

    def by_name(self, text: str) -> VenueRef:
        """The point of this name (or, if the text is a number, of this unit code)."""
        if normalize_text(text).isdigit():
            return self.by_code(text)
        cache_key = ('name', text)
        if cache_key in self._cache:
            return self._cache[cache_key]
        full, bare = _name_forms(text)
        for index, key in zip(self._indexes, self._keys(full, bare), strict=True):
            found = index.get(key, [])
            if len(found) == 1:
                self._cache[cache_key] = found[0]
                return found[0]
            if len(found) > 1:
                raise ValueError(
                    _(
                        'Có %(count)d điểm cầu cùng tên "%(name)s" (mã %(codes)s); '
                        'hãy ghi mã đơn vị.',
                        count=len(found),
                        name=normalize_text(text),
                        codes=', '.join(sorted(v.unit_code for v in found)),
                    )
                )
        raise ValueError(_('Hội nghị không có điểm cầu "%(name)s".', name=normalize_text(text)))
