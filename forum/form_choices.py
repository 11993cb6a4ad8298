"""Select and radio options for WTForms (which deprecates plain tuples)."""

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def choices_from(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """Options from ``(value, label)`` pairs; enum values are sent as their string value."""
    return [SelectChoice(getattr(value, 'value', value), label) for value, label in pairs]
