"""The invitation QR encoder and drawer: fixed mask and level, and still a code phones read."""

import io
import secrets

import pypdf
import pytest
import zxingcpp
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from forum.invitations.qr import (
    MASK_PATTERN,
    QUIET_ZONE,
    dark_runs,
    draw_qr,
    qr_matrix,
    qr_path_code,
    qr_version,
)
from tests.invitations.pdfs import page_qr_codes


def delegate_url(base='http://127.0.0.1:8000') -> str:
    return f'{base}/i/{secrets.token_urlsafe(16)}'


def matrix_image(matrix, scale=6) -> Image.Image:
    """The matrix as a black-on-white picture with its quiet zone, ``scale`` pixels a module."""
    side = len(matrix) + 2 * QUIET_ZONE
    image = Image.new('L', (side, side), 255)
    image.putdata(
        [
            0 if 0 <= r - QUIET_ZONE < len(matrix) and 0 <= c - QUIET_ZONE < len(matrix)
            and matrix[r - QUIET_ZONE][c - QUIET_ZONE] else 255
            for r in range(side)
            for c in range(side)
        ]
    )  # fmt: skip
    return image.resize((side * scale, side * scale), Image.NEAREST)


@pytest.mark.parametrize(
    'payload',
    [
        delegate_url(),
        delegate_url('https://dien-dan.hagiang.gov.vn'),
        delegate_url('http://127.0.0.1:8000') + '?lang=vi',
        'x',
    ],
)
def test_matrix_decodes_to_its_payload_with_the_fixed_mask_and_level_m(payload):
    (barcode,) = zxingcpp.read_barcodes(matrix_image(qr_matrix(payload)))

    assert barcode.text == payload
    assert barcode.valid
    assert barcode.extra['DataMask'] == MASK_PATTERN
    assert barcode.extra['ECLevel'] == 'M'


def test_a_delegate_url_fits_version_4():
    payload = delegate_url()  # 46 bytes: http://127.0.0.1:8000/i/ and 22 characters

    matrix = qr_matrix(payload)

    assert qr_version(len(payload)) == 4
    assert len(matrix) == 33 and all(len(row) == 33 for row in matrix)
    assert all(isinstance(module, bool) for row in matrix for module in row)


def test_a_longer_payload_gets_a_larger_version():
    assert qr_version(120) > qr_version(46)
    payload = 'https://example.vn/' + 'a' * 100
    (barcode,) = zxingcpp.read_barcodes(matrix_image(qr_matrix(payload)))
    assert barcode.text == payload


def test_runs_cover_exactly_the_dark_modules():
    matrix = qr_matrix(delegate_url())
    covered = [[False] * len(matrix) for _ in matrix]
    for column, row, length in dark_runs(matrix):
        for x in range(column, column + length):
            assert not covered[row][x]
            covered[row][x] = True

    assert covered == matrix


def qr_page(payloads, size=90) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(400, 200))
    for index, payload in enumerate(payloads):
        draw_qr(canvas, qr_matrix(payload), 20 + index * (size + 20), 50, size)
    canvas.save()
    return buffer.getvalue()


def test_draw_qr_paints_all_modules_as_one_filled_path():
    payload = delegate_url()
    pdf = qr_page([payload])

    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    operators = [op for _operands, op in pypdf.generic.ContentStream(page.get_contents(), None)
                 .operations]  # fmt: skip

    assert operators.count(b're') == len(dark_runs(qr_matrix(payload)))
    fills = [op for op in operators if op in (b'f', b'f*', b'B', b'B*', b'b', b'b*')]
    assert fills == [b'f*']  # one fill, no stroke: one path (the runs never overlap)
    assert qr_path_code(qr_matrix(payload)).count(' re') == operators.count(b're')


def test_drawn_codes_side_by_side_each_decode_with_their_quiet_zone():
    payloads = [delegate_url(), delegate_url()]

    (codes,) = page_qr_codes(qr_page(payloads), dpi=150)

    assert sorted(codes) == sorted(payloads)
