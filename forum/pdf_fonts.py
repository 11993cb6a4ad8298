"""The PDF font: Liberation Serif 2 (every Vietnamese letter, Times New Roman metrics), shipped
in ``forum/fonts/`` and registered with reportlab once per process."""

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / 'fonts'
FAMILY = 'LiberationSerif'
REGULAR = FAMILY
BOLD = f'{FAMILY}-Bold'
ITALIC = f'{FAMILY}-Italic'
BOLD_ITALIC = f'{FAMILY}-BoldItalic'

# (reportlab name, file, bold, italic)
_FACES = (
    (REGULAR, 'LiberationSerif-Regular.ttf', 0, 0),
    (BOLD, 'LiberationSerif-Bold.ttf', 1, 0),
    (ITALIC, 'LiberationSerif-Italic.ttf', 0, 1),
    (BOLD_ITALIC, 'LiberationSerif-BoldItalic.ttf', 1, 1),
)
_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the four faces and the family's bold/italic mapping (once); return the family."""
    global _registered
    if _registered:
        return FAMILY
    with _lock:
        if not _registered:
            for name, filename, bold, italic in _FACES:
                pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
                addMapping(FAMILY, bold, italic, name)
            _registered = True
    return FAMILY
