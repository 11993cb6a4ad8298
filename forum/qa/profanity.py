"""A Vietnamese profanity list: matching items are held back for a moderator.

Words are compared token by token, so "lon" (a can) never matches "lồn"; accented entries match
any tone placement and composition, unaccented slang matches with or without accents.
"""

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from forum.text import matching_key, normalize_text, search_key

_TOKEN = re.compile(r'\w+')


def _tokens(text: str, fold) -> list[str]:
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=8)
def load_word_list(path: str | None = None) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """The entries of a list file: each as written, as tokens, and whether it is ASCII slang."""
    source = (
        Path(path) if path else Path(str(resources.files('forum.qa') / 'data' / 'profanity-vi.txt'))
    )
    entries = []
    for line in source.read_text(encoding='utf-8').splitlines():
        word = normalize_text(line)
        if not word or word.startswith('#'):
            continue
        plain = word.isascii()
        entries.append((word, tuple(_tokens(word, search_key if plain else matching_key)), plain))
    return tuple(entries)


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1))


def find_profanity(text: str, path: str | None = None) -> list[str]:
    """The list entries that occur in ``text`` (empty when it is clean)."""
    accented = _tokens(text, matching_key)
    folded = _tokens(text, search_key)
    return [
        word
        for word, phrase, plain in load_word_list(path)
        if _contains(folded if plain else accented, phrase)
    ]
