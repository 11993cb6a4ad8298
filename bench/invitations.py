"""Benchmark: the whole forum's invitation PDF (GIẤY MỜI) for 2,000 delegates.

The issue's targets: under 5 s for 2,000 pages on this machine, and at least 10 times faster
than the same pages with reportlab's own ``QrCodeWidget`` (one widget per code, drawn through a
``Drawing`` with ``renderPDF.draw``), measured side by side in one run.

    .venv/bin/python bench/invitations.py [--delegates 2000] [--repeat 3] [--baseline-pages 200]
                                          [--db] [--check 20]

The delegates are realistic and need no database: generated Vietnamese names over all of Hà
Giang's bridge points (the hub, 11 districts, 193 communes), weighted as ``forum seed-demo``
weights them, with the demo roster's positions and bodies, the demo's programme and real codes.
With ``--db`` the demo is seeded into a scratch SQLite database instead and the cards are read
through the service (the query is timed too). The baseline draws the same pages except the QR
code; it is timed on ``--baseline-pages`` pages and scaled linearly to the full count (the
output says so) unless that is the full count. ``--check N`` decodes the QR codes of N pages
with zxing-cpp.
"""

import argparse
import csv
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 5.0
TARGET_SPEEDUP = 10.0
BASE_URL = 'http://127.0.0.1:8000'


# The data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    kind: str
    tier: str
    district: 'Point | None' = None


def hagiang_points() -> list[Point]:
    """The hub, every district and every commune of Hà Giang, from the statistics office list."""
    from forum.tiers.services import default_units_file

    points = [Point('02', 'Tỉnh Hà Giang', 'Tỉnh', 'province')]
    districts: dict[str, Point] = {}
    with default_units_file().open(encoding='utf-8-sig', newline='') as handle:
        for row in csv.reader(handle):
            if len(row) < 7 or not row[1].strip().isdigit():
                continue
            _province, _pc, district, district_code, commune, commune_code, kind = row[:7]
            if district_code not in districts:
                district_kind = 'Thành phố' if district.startswith('Thành phố') else 'Huyện'
                districts[district_code] = Point(district_code, district, district_kind, 'district')
                points.append(districts[district_code])
            points.append(Point(commune_code, commune, kind, 'commune', districts[district_code]))
    return points


def allocate(points: list[Point], total: int) -> list[int]:
    """Split ``total`` delegates over the points as the demo seed does (largest remainder)."""
    from forum.demo.seed import POINT_WEIGHTS
    from forum.tiers.models import Tier

    weights = POINT_WEIGHTS[3]
    shares = [weights[Tier(point.tier)] for point in points]
    exact = [total * share / sum(shares) for share in shares]
    counts = [int(x) for x in exact]
    for index in sorted(range(len(points)), key=lambda i: counts[i] - exact[i])[
        : total - sum(counts)
    ]:
        counts[index] += 1
    return counts


def demo_forum():
    """The demo forum (title, programme, chairs) as the invitation prints it."""
    from forum.demo import seed
    from forum.documents.agenda import agenda_lines
    from forum.invitations.pdf import InvitationForum
    from forum.invitations.services import signature_lines

    data = seed._forum_data(3)  # the forum exactly as ``forum seed-demo`` creates it
    chairs = [official for official in data.officials if official.role == 'chair']
    return InvitationForum(
        title=data.title,
        host_body=data.host_body,
        issuer_lines=(data.host_body,),
        locality='Hà Giang',
        held_on=data.held_on,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        theme=data.theme,
        place=data.place,
        agenda=agenda_lines(data.agenda),
        chairs=tuple(f'Đồng chí {chair.name}, {chair.title}' for chair in chairs),
        signature_lines=signature_lines(data.host_body, chairs[0].title),
        signer_name=chairs[0].name,
    )


def demo_cards(total: int, seed: int = 20230523) -> list:
    """``total`` delegates over Hà Giang's bridge points, in Vietnamese name order."""
    from forum.delegates.models import new_invitation_code, new_short_code
    from forum.demo import roster
    from forum.demo.names import generate_person
    from forum.demo.seed import JOIN_URL, PLACE
    from forum.invitations.links import delegate_page_url
    from forum.invitations.pdf import InvitationCard
    from forum.text import name_sort_key

    rng = random.Random(seed)
    points = hagiang_points()
    cards = []
    for point, count in zip(points, allocate(points, total), strict=True):
        if point.tier == 'province':
            seats, address = roster.hub_seats(count), PLACE
        elif point.tier == 'district':
            seats = roster.district_seats(point.name, point.kind, count)
            address = f'Hội trường UBND {roster.unit_short_name(point.name, point.kind)}'
        else:
            seats = roster.commune_seats(point.name, point.kind, count)
            district = point.district
            address = (
                f'Hội trường UBND {roster.unit_short_name(point.name, point.kind)}, '
                f'{roster.unit_short_name(district.name, district.kind)}'
            )
        for seat in seats:
            cards.append(
                InvitationCard(
                    full_name=seat.full_name or generate_person(rng, female=seat.female),
                    url=delegate_page_url(BASE_URL, new_invitation_code()),
                    short_code=new_short_code(),
                    position=seat.position,
                    body=seat.body,
                    venue_name=roster.unit_short_name(point.name, point.kind),
                    venue_address=address,
                    join_url=JOIN_URL.format(code=point.code),
                )
            )
    cards.sort(key=lambda card: name_sort_key(card.full_name))
    return cards


def seeded_cards(total: int):
    """The demo seeded into a scratch SQLite database; the cards read through the service."""
    from config import Config
    from forum import create_app
    from forum.demo.seed import seed_demo
    from forum.extensions import db
    from forum.forums.models import Forum
    from forum.invitations.services import invitation_cards, invitation_forum

    with tempfile.TemporaryDirectory(prefix='forum-bench-') as directory:
        app = create_app(Config, {'SQLALCHEMY_DATABASE_URI': f'sqlite:///{directory}/bench.db'})
        with app.app_context():
            db.create_all()
            report = seed_demo(delegate_count=total)
            db.session.commit()
            forum = db.session.get(Forum, report.forum_id)
            started = time.perf_counter()
            cards = invitation_cards(forum, base_url=BASE_URL)
            query_seconds = time.perf_counter() - started
            data = invitation_forum(forum)
            db.session.remove()
            db.engine.dispose()
    return data, cards, query_seconds


# The baseline: the same pages, the QR code drawn by reportlab's widget. ------------------------


def baseline_document_class():
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    from forum.invitations.pdf import MARGIN_LEFT, QR_SYMBOL_SIZE, QR_TOP, InvitationDocument

    class WidgetDocument(InvitationDocument):
        """The invitation with its QR drawn as a ``QrCodeWidget`` (a rectangle per module)."""

        def draw_code(self, canvas, card, top):
            widget = QrCodeWidget(card.url, barLevel='M', barBorder=4)
            left, bottom, right, upper = widget.getBounds()
            box = QR_SYMBOL_SIZE * 41 / 33  # the symbol and its quiet zone, as ours
            drawing = Drawing(box, box, transform=[box / (right - left), 0, 0,
                                                   box / (upper - bottom), 0, 0])  # fmt: skip
            drawing.add(widget)
            quiet = 4 * box / 41
            renderPDF.draw(drawing, canvas, MARGIN_LEFT - quiet, top - QR_TOP - box + quiet)
            self.draw_short_code(canvas, card, top)

    return WidgetDocument


# Running --------------------------------------------------------------------------------------


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def cpu_model() -> str:
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def check_codes(pdf: bytes, cards, pages: int) -> int:
    """Decode the QR codes of ``pages`` pages spread over the document; return how many match."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    indexes = sorted(random.Random(1).sample(range(len(cards)), min(pages, len(cards))))
    matched = 0
    for index in indexes:
        image = document[index].render(scale=150 / 72, grayscale=True).to_pil()
        texts = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
        matched += texts == [cards[index].url]
    document.close()
    return matched


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--delegates', type=int, default=2000)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--baseline-pages', type=int, default=200)
    parser.add_argument('--db', action='store_true', help='seed the demo into SQLite first')
    parser.add_argument('--check', type=int, default=20, help='pages whose QR codes to decode')
    args = parser.parse_args(argv)

    from importlib.metadata import version

    import reportlab

    from forum.invitations.pdf import render_invitations
    from forum.invitations.qr import qr_version

    print(
        f'Machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}; Python {platform.python_version()}'
    )
    print(f'reportlab {reportlab.Version}, qrcode {version("qrcode")}')
    if args.db:
        forum, cards, query_seconds = seeded_cards(args.delegates)
        print(f'Cards from a seeded SQLite database: {len(cards)} (query {query_seconds:.3f} s)')
    else:
        forum, cards = demo_forum(), demo_cards(args.delegates)
        points = len({(card.venue_name, card.venue_address) for card in cards})
        print(f'Cards generated: {len(cards)} delegates at {points} bridge points')
    print(f'QR payload: {len(cards[0].url)} bytes ({cards[0].url[:32]}…), version '
          f'{qr_version(len(cards[0].url))}, level M, mask 2')  # fmt: skip

    render_invitations(forum, cards[:5])  # warm up: fonts, caches
    runs = []
    for _ in range(args.repeat):
        seconds, pdf = timed(render_invitations, forum, cards)
        runs.append(seconds)
    ours = statistics.median(runs)
    pages = len(cards)
    print(f'\nOurs (one path per QR, shared forms, compressed): {len(runs)} runs '
          f'{", ".join(f"{s:.2f}" for s in runs)} s; median {ours:.2f} s, '
          f'{pages / ours:.0f} pages/s, {len(pdf) / 1e6:.1f} MB')  # fmt: skip
    seconds, plain = timed(render_invitations, forum, cards, compress=False)
    print(f'Ours without compression: {seconds:.2f} s, {len(plain) / 1e6:.1f} MB')

    sample = min(args.baseline_pages, pages)
    widget = baseline_document_class()
    render_invitations(forum, cards[:2], document_class=widget)  # warm up
    seconds, _ = timed(render_invitations, forum, cards[:sample], document_class=widget)
    baseline = seconds * pages / sample
    how = (
        'measured' if sample == pages else f'{seconds:.2f} s on {sample} pages, ×{pages / sample:g}'
    )
    print(f'Baseline (QrCodeWidget per page, same pages): {baseline:.1f} s ({how}), '
          f'{sample / seconds:.0f} pages/s')  # fmt: skip

    speedup = baseline / ours
    print(f'\nSpeed-up: {speedup:.1f}× (target ≥ {TARGET_SPEEDUP:g}×); '
          f'{pages} pages in {ours:.2f} s (target < {TARGET_SECONDS:g} s)')  # fmt: skip
    ok = ours < TARGET_SECONDS and speedup >= TARGET_SPEEDUP
    if args.check:
        matched = check_codes(pdf, cards, args.check)
        print(f'QR check: {matched} of {min(args.check, pages)} sampled pages decode to their URL')
        ok = ok and matched == min(args.check, pages)
    print('PASS' if ok else 'FAIL')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
