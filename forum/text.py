"""Vietnamese text: NFC normalisation, matching and search keys, and Vietnamese name order.

- ``clean_text`` is applied at the boundary to every text that comes in (query strings, forms,
  JSON bodies, Socket.IO payloads, imported cells): NFC, and no character that only hides or
  breaks things (C0/C1 controls but tab and line breaks, zero-width characters, bidi overrides
  and isolates, lone surrogates, noncharacters).
- ``normalize_text`` is applied to every single-line input (names, titles, QR payloads, search).
- ``matching_key`` identifies a person's name despite tone placement ("Hòa"/"Hoà"),
  decomposed input and Đ (U+0110) vs Ð (U+00D0); accents still count ("Thảo" is not "Thao").
- ``search_key`` drops every accent, so "nguyen thi thao" finds "Nguyễn Thị Thảo".
- ``name_sort_key`` orders full names by given name, then middle names, then family name,
  with the Vietnamese alphabet (a < ă < â, d < đ, …) and tones after letters.
"""

import re
import unicodedata

# Combining marks that carry the tone of a syllable, in dictionary order:
# ngang (none), huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS = {'\u0300': 1, '\u0309': 2, '\u0303': 3, '\u0301': 4, '\u0323': 5}
# Marks that change the vowel itself and so stay part of the letter.
VOWEL_MARKS = {'\u0302', '\u0306', '\u031b'}  # circumflex (â ê ô), breve (ă), horn (ơ ư)
# Letters that look alike but are different code points.
LOOKALIKES = str.maketrans({'\u00d0': '\u0110', '\u00f0': '\u0111', '\u0189': '\u0110'})

ALPHABET = [
    'a',
    'ă',
    'â',
    'b',
    'c',
    'd',
    'đ',
    'e',
    'ê',
    'f',
    'g',
    'h',
    'i',
    'j',
    'k',
    'l',
    'm',
    'n',
    'o',
    'ô',
    'ơ',
    'p',
    'q',
    'r',
    's',
    't',
    'u',
    'ư',
    'v',
    'w',
    'x',
    'y',
    'z',
]
# Two characters from [0-9a-z] per letter, so plain binary or "C" collation sorts correctly.
_LETTER_CODES = {letter: f'{index + 10:02d}' for index, letter in enumerate(ALPHABET)}
_DIGIT_CODES = {str(d): f'0{d}' for d in range(10)}

_WHITESPACE = re.compile(r'\s+')
# What no forum text needs and what breaks exports or hides what a text says: controls (but tab,
# line feed and carriage return), zero-width characters, the soft hyphen, bidi embeddings,
# overrides and isolates, the BOM, surrogates (lone, from a JSON "\\ud800") and noncharacters.
_UNWANTED = re.compile(
    '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e'
    '\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]'
)


def clean_text(value: str) -> str:
    """Return ``value`` in NFC without the characters that only hide or break things."""
    return unicodedata.normalize('NFC', _UNWANTED.sub('', value))


def has_unwanted_characters(value: str) -> bool:
    """Whether ``clean_text`` would remove something from ``value``."""
    return _UNWANTED.search(value) is not None


def normalize_text(value: str | None) -> str:
    """Return ``value`` cleaned, in NFC, with look-alike letters unified and whitespace
    collapsed."""
    if value is None:
        return ''
    text = clean_text(str(value)).translate(LOOKALIKES)
    return _WHITESPACE.sub(' ', text).strip()


def _split_letters(word: str) -> tuple[list[str], int]:
    """Split a lowercase word into its letters (tone removed) and the word's tone (0–5)."""
    letters: list[str] = []
    tone = 0
    for char in unicodedata.normalize('NFD', word):
        if char in TONE_MARKS:
            tone = TONE_MARKS[char]
        elif unicodedata.combining(char):
            if char in VOWEL_MARKS and letters:
                letters[-1] = unicodedata.normalize('NFC', letters[-1] + char)
        else:
            letters.append(char)
    return letters, tone


def matching_key(value: str | None) -> str:
    """Return the key under which two spellings of the same name are equal."""
    words = []
    for word in normalize_text(value).lower().split(' '):
        if not word:
            continue
        letters, tone = _split_letters(word)
        words.append(''.join(letters) + (str(tone) if tone else ''))
    return ' '.join(words)


def search_key(value: str | None) -> str:
    """Return ``value`` lowercased without any accent, for accent-insensitive search."""
    text = normalize_text(value).lower().replace('đ', 'd')
    stripped = ''.join(
        c for c in unicodedata.normalize('NFD', text) if not unicodedata.combining(c)
    )
    return stripped


def _word_sort_code(word: str) -> tuple[str, str]:
    """Return the letter code and the tone code of one word."""
    letters, tone = _split_letters(word)
    codes = []
    for letter in letters:
        if letter in _LETTER_CODES:
            codes.append(_LETTER_CODES[letter])
        elif letter in _DIGIT_CODES:
            codes.append(_DIGIT_CODES[letter])
        # Punctuation and foreign letters without a place in the alphabet are ignored.
    return ''.join(codes), str(tone)


def name_sort_key(full_name: str | None) -> str:
    """Return a string whose binary order is the Vietnamese order of full names.

    Words are compared given name first, then the middle names from left to right, then the
    family name; letters before tones. Only ``[0-9]`` is used, so PostgreSQL's "C" collation
    and SQLite agree.
    """
    words = [w for w in normalize_text(full_name).lower().split(' ') if w]
    if not words:
        return ''
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    coded = [_word_sort_code(word) for word in ordered]
    # "00" ends a word so that a shorter word sorts before a longer one it prefixes.
    letters = '00'.join(code for code, _ in coded)
    tones = ''.join(tone for _, tone in coded)
    return f'{letters}0000{tones}'
