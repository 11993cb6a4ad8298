"""Vietnamese text: normalisation, matching keys, accent-free search and name order."""

import unicodedata

from forum.text import matching_key, name_sort_key, normalize_text, search_key


def test_decomposed_input_is_stored_composed():
    decomposed = unicodedata.normalize('NFD', 'Nguyễn Thị Thảo')
    assert decomposed != 'Nguyễn Thị Thảo'
    assert normalize_text(decomposed) == 'Nguyễn Thị Thảo'


def test_old_and_new_tone_placement_match():
    assert matching_key('Hòa') == matching_key('Hoà')
    assert matching_key('Nguyễn Văn Thủy') == matching_key('Nguyễn Văn Thuỷ')
    assert matching_key('Lê Thị Khoá') == matching_key('Lê Thị Khóa')


def test_d_with_stroke_and_eth_match():
    assert matching_key('Đỗ Văn Đức') == matching_key('\u00d0ỗ Văn \u00d0ức')


def test_matching_key_still_tells_accents_apart():
    assert matching_key('Thảo') != matching_key('Thao')
    assert matching_key('Lư') != matching_key('Lu')


def test_matching_key_ignores_case_and_spacing():
    assert matching_key('  nguyễn   THỊ thảo ') == matching_key('Nguyễn Thị Thảo')


def test_search_key_drops_every_accent():
    assert search_key('Nguyễn Thị Thảo') == 'nguyen thi thao'
    assert search_key('Đặng Ưng Ơn') == 'dang ung on'


def test_names_sort_by_given_name_first():
    names = ['Trần Văn Bình', 'Nguyễn Thị An', 'Lê Văn Cường']
    assert sorted(names, key=name_sort_key) == ['Nguyễn Thị An', 'Trần Văn Bình', 'Lê Văn Cường']


def test_vietnamese_letters_sort_after_their_base():
    names = [
        'Lê Đạt',
        'Lê Dũng',
        'Lê Ân',
        'Lê Ăn',
        'Lê An',
        'Lê Ơn',
        'Lê Ôn',
        'Lê On',
        'Lê Ưng',
        'Lê Uy',
    ]
    assert sorted(names, key=name_sort_key) == [
        'Lê An',
        'Lê Ăn',
        'Lê Ân',
        'Lê Dũng',
        'Lê Đạt',
        'Lê On',
        'Lê Ôn',
        'Lê Ơn',
        'Lê Uy',
        'Lê Ưng',
    ]


def test_tones_sort_after_letters_in_dictionary_order():
    names = ['Vũ Hạ', 'Vũ Há', 'Vũ Hã', 'Vũ Hả', 'Vũ Hà', 'Vũ Ha', 'Vũ Hai']
    assert sorted(names, key=name_sort_key) == [
        'Vũ Ha',
        'Vũ Hà',
        'Vũ Hả',
        'Vũ Hã',
        'Vũ Há',
        'Vũ Hạ',
        'Vũ Hai',
    ]


def test_same_given_name_sorts_by_middle_then_family_name():
    names = ['Nguyễn Văn An', 'Trần Bá An', 'Lê Văn An']
    assert sorted(names, key=name_sort_key) == ['Trần Bá An', 'Lê Văn An', 'Nguyễn Văn An']


def test_sort_key_is_plain_digits_so_databases_agree():
    assert name_sort_key('Đỗ Thị Hằng').isdigit()
