"""Generated Vietnamese people for the demo: names of Kinh and of Hà Giang's ethnic minorities.

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed gives the same
people. Names are made of common parts only; they are not meant to be anyone in particular.
"""

import random
import unicodedata

# (family name, weight): Kinh names as common in the north, weighted roughly by frequency.
KINH_FAMILY_NAMES = [
    ('Nguyễn', 30),
    ('Trần', 10),
    ('Lê', 8),
    ('Phạm', 6),
    ('Hoàng', 5),
    ('Vũ', 4),
    ('Đặng', 3),
    ('Bùi', 3),
    ('Đỗ', 3),
    ('Hồ', 2),
    ('Ngô', 2),
    ('Dương', 2),
    ('Lý', 2),
]
KINH_MALE_MIDDLE = (
    'Văn Đức Minh Quang Xuân Hữu Công Mạnh Tiến Thanh Đình Ngọc Trọng Việt Quốc'
).split()
# Thị three times: most women's middle name.
KINH_FEMALE_MIDDLE = 'Thị Thị Thị Thu Thanh Ngọc Thùy Minh Hồng Phương Kim Bích Diệu Thúy'.split()
KINH_MALE_GIVEN = (
    'Hùng Dũng Tuấn Thắng Cường Hải Long Nam Sơn Thành Trung Đức Hiếu Khánh Lâm Quân Tùng '
    'Việt Phúc Lợi Toàn Hưởng Thịnh Khởi Bình Chiến Kiên Đạt Nghĩa Ước Hoàn Tiến Huy Vĩnh Kỳ'
).split()
KINH_FEMALE_GIVEN = (
    'Hương Lan Hằng Huyền Thảo Trang Linh Nga Thủy Yến Hoa Nhung Phượng Oanh Dung Vân Ánh Thư '
    'Loan Hiền Mỹ Ngọc Quỳnh Giang Thơm Duyên Nguyệt'
).split()

# Hmông families of the karst highlands (Đồng Văn, Mèo Vạc, Yên Minh, Quản Bạ, …).
HMONG_FAMILY_NAMES = [('Vàng', 6), ('Sùng', 5), ('Giàng', 5), ('Thào', 4), ('Hầu', 3), ('Lù', 2)]
HMONG_MALE_MIDDLE = ['Mí', 'Seo', 'A', 'Văn', 'Chính']
HMONG_MALE_GIVEN = 'Páo Chứ Dình Sính Lử Pó Dế Chúng Tủa Súng Pháo Chúa Sử Lềnh Khai Mang'.split()
HMONG_FEMALE_GIVEN = ['Mỷ', 'Dợ', 'Sua', 'Mai', 'Chá', 'Dính', 'Máy', 'Pà', 'Say', 'Và', 'Xí']
# Tày, Nùng, Giáy and Dao families, who mostly use Kinh-style middle and given names.
VALLEY_FAMILY_NAMES = [('Ma', 4), ('Nông', 4), ('Lò', 3), ('Triệu', 3), ('Bàn', 2), ('Lục', 1)]

MINORITY_SHARE = 0.45  # Hà Giang is mostly Hmông, Tày, Dao and Nùng; Kinh are about a sixth
FEMALE_SHARE = 0.4


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def _nfc(text: str) -> str:
    return unicodedata.normalize('NFC', text)


def generate_person(
    rng: random.Random,
    *,
    minority_share: float = MINORITY_SHARE,
    hmong_share: float = 0.5,
    female: bool | None = None,
) -> str:
    """Draw a full name: family name, one or two middle names and a given name, in NFC.

    ``minority_share`` of people belong to an ethnic minority, and ``hmong_share`` of those are
    Hmông (the highland districts) rather than Tày, Nùng, Giáy or Dao (the valleys). ``female``
    fixes the gender; by default it is drawn.
    """
    if female is None:
        female = rng.random() < FEMALE_SHARE
    roll = rng.random()
    if roll < minority_share * hmong_share:
        family = _weighted(rng, HMONG_FAMILY_NAMES)
        if female:
            parts = [family, 'Thị', rng.choice(HMONG_FEMALE_GIVEN)]
        else:
            parts = [family, rng.choice(HMONG_MALE_MIDDLE), rng.choice(HMONG_MALE_GIVEN)]
    else:
        if roll < minority_share:
            family = _weighted(rng, VALLEY_FAMILY_NAMES)
        else:
            family = _weighted(rng, KINH_FAMILY_NAMES)
        if female:
            middle = [rng.choice(KINH_FEMALE_MIDDLE)]
            if middle[0] == 'Thị' and rng.random() < 0.2:
                middle.append(rng.choice(['Thu', 'Hồng', 'Thanh', 'Phương', 'Minh']))
            parts = [family, *middle, rng.choice(KINH_FEMALE_GIVEN)]
        else:
            parts = [family, rng.choice(KINH_MALE_MIDDLE), rng.choice(KINH_MALE_GIVEN)]
    return _nfc(' '.join(parts))


def ascii_fold(text: str) -> str:
    """Return ``text`` lowercased without accents (đ → d), for e-mail addresses."""
    text = text.lower().replace('đ', 'd')
    return ''.join(c for c in unicodedata.normalize('NFD', text) if not unicodedata.combining(c))


def email_local_part(full_name: str) -> str:
    """The usual government style: given name then the initials, e.g. ``thangnv``."""
    words = ascii_fold(full_name).split()
    return words[-1] + ''.join(word[0] for word in words[:-1])


# Mobile prefixes of Viettel, VinaPhone and MobiFone.
MOBILE_PREFIXES = ['086', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038']
MOBILE_PREFIXES += ['039', '091', '094', '088', '081', '082', '083', '084', '085', '090', '093']
MOBILE_PREFIXES += ['089', '070', '076', '077', '078', '079']


def generate_phone(rng: random.Random) -> str:
    """A ten-digit Vietnamese mobile number."""
    return rng.choice(MOBILE_PREFIXES) + f'{rng.randrange(10_000_000):07d}'
