"""Benchmark: the BIÊN BẢN with its 2,000-row annex, and the THÔNG BÁO, from a seeded forum.

The issue's targets: the minutes (annex included) in under 2 s, the notice in under 0.5 s, each
timed from the database to the PDF bytes (reading the forum's data, then drawing).

    .venv/bin/python bench/minutes.py [--delegates 2100] [--checkins 1500] [--questions 30]
                                      [--repeat 3] [--database-url URL]

On a fresh database (a temporary SQLite file, or with ``--database-url`` a scratch PostgreSQL
schema dropped at the end) it seeds the demo forum as ``forum seed-demo --delegates 2100`` does
(205 bridge points), reports most points connected and a few with problems, checks delegates
in with ``check_in_delegate`` (spread over every point), sends questions from delegates through
``submit_question`` and answers most of them through ``moderate_question``, closes the forum
and saves a draft (conclusions, five tasks, numbers) with ``save_draft``. Then it times
``minutes_data`` + ``render_minutes`` and ``notice_data`` + ``render_notice`` ``--repeat``
times each (the session's identity map cleared before every run; medians reported), the .docx
exports once, and checks the PDF: present delegates equal to the check-ins, every row of the
annex there. Last, unless ``--no-baseline``, it times the annex alone drawn the usual way, as
a platypus ``LongTable`` of ``Paragraph`` cells, for comparison.
"""

import argparse
import io
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MINUTES_TARGET = 2.0
NOTICE_TARGET = 0.5
CONCLUSIONS = """Tọa đàm đã diễn ra nghiêm túc, đúng chương trình; các ý kiến tâm huyết, trách nhiệm.
1. Về nhận thức: các cấp, các ngành quán triệt Chỉ thị số 07/CT-TTg ngày 21/3/2023 của Thủ tướng Chính phủ về đẩy mạnh công tác truyền thông chính sách.
- Người đứng đầu trực tiếp chỉ đạo công tác truyền thông chính sách của cơ quan, địa phương.
- Truyền thông chính sách từ khi dự thảo, không chờ khi đã ban hành.
2. Về hành động: các sở, ngành, địa phương xây dựng kế hoạch truyền thông hằng năm.
3. Về nguồn lực: bố trí kinh phí, đào tạo đội ngũ làm truyền thông ở cơ sở, nhất là vùng đồng bào dân tộc thiểu số."""  # noqa: E501
TASKS = [
    ('Sở Thông tin và Truyền thông', 'Tổng hợp ý kiến tại tọa đàm, tham mưu UBND tỉnh', 14),
    ('Sở Tài chính', 'Tham mưu bố trí kinh phí truyền thông chính sách năm 2024', 30),
    ('Sở Nội vụ', 'Đưa kỹ năng truyền thông vào bồi dưỡng cán bộ, công chức', 60),
    ('Báo Hà Giang', 'Mở chuyên mục truyền thông chính sách', 30),
    ('UBND các huyện, thành phố', 'Kiện toàn tổ truyền thông cơ sở', 45),
]


def machine() -> str:
    model = 'unknown CPU'
    with open('/proc/cpuinfo', encoding='utf-8') as cpuinfo:
        for line in cpuinfo:
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    return f'{os.cpu_count()} CPUs (nproc), {model}; Python {platform.python_version()}'


@contextmanager
def scratch_database(url: str | None, tmp: str) -> Iterator[dict]:
    """App settings for a throw-away database: a SQLite file, or a schema dropped afterwards."""
    if not url:
        yield {'SQLALCHEMY_DATABASE_URI': f'sqlite:///{Path(tmp) / "bench.db"}'}
        return
    import sqlalchemy as sa

    schema = f'bench_{uuid.uuid4().hex[:12]}'
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA {schema}')
    try:
        yield {
            'SQLALCHEMY_DATABASE_URI': url,
            'SQLALCHEMY_ENGINE_OPTIONS': {'connect_args': {'options': f'-c search_path={schema}'}},
        }
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA {schema} CASCADE')
        admin.dispose()


def prepare(delegates: int, checkins: int, questions: int) -> tuple[int, int]:
    """Seed the forum, its check-ins, questions and draft; return (forum id, check-ins made)."""
    from forum.auth.models import User, UserRole
    from forum.checkin.door import check_in_delegate
    from forum.delegates.models import Delegate
    from forum.demo.seed import seed_demo
    from forum.extensions import db
    from forum.forums.models import Forum
    from forum.forums.services import advance_forum_status
    from forum.minutes.draft_input import DraftData, TaskData
    from forum.minutes.drafts import save_draft
    from forum.qa.models import QuestionKind, QuestionMode, QuestionStatus
    from forum.qa.services import moderate_question, submit_question
    from forum.tiers.models import ConnectionStatus

    rng = random.Random(20230523)
    report = seed_demo(delegate_count=delegates)
    db.session.commit()
    forum = db.session.get(Forum, report.forum_id)
    organiser = db.session.scalar(db.select(User).where(User.role == UserRole.ORGANISER))
    secretary = db.session.scalar(db.select(User).where(User.role == UserRole.SECRETARY))
    for venue in forum.venues:
        roll = rng.random()
        venue.connection_status = (
            ConnectionStatus.CONNECTED if roll < 0.93
            else ConnectionStatus.PROBLEM if roll < 0.97
            else ConnectionStatus.NOT_CHECKED
        )  # fmt: skip
    people = list(
        db.session.scalars(
            db.select(Delegate).where(Delegate.forum_id == forum.id).order_by(Delegate.id)
        )
    )
    rng.shuffle(people)
    moment = datetime(2023, 5, 23, 0, 30, tzinfo=UTC)
    started = time.perf_counter()
    for person in people[:checkins]:
        moment += timedelta(seconds=2)
        check_in_delegate(forum, person, person.venue, user=organiser, now=moment)
    db.session.commit()
    print(f'  {checkins} check-ins in {time.perf_counter() - started:.1f} s (setup, untimed)')
    advance_forum_status(forum)  # live
    kinds = [QuestionKind.QUESTION, QuestionKind.OPINION, QuestionKind.PROPOSAL]
    for index, person in enumerate(people[:questions]):
        moment += timedelta(minutes=1)
        question = submit_question(
            forum,
            text=f'Ý kiến số {index + 1} của {person.full_name} về truyền thông chính sách ở '
            f'{person.venue.name}: đề nghị hướng dẫn kinh phí và tập huấn cho cán bộ cơ sở.',
            kind=kinds[index % 3],
            mode=QuestionMode.WRITTEN,
            now=moment,
            delegate=person,
        )
        moderate_question(question, user=organiser, now=moment, status=QuestionStatus.APPROVED)
        if index % 6:  # five in six answered at the meeting
            moderate_question(
                question,
                user=organiser,
                now=moment,
                status=QuestionStatus.ANSWERED,
                answered_by='Giám đốc Sở Thông tin và Truyền thông',
                response='Sở tiếp thu, sẽ hướng dẫn cụ thể bằng văn bản trong tháng 6/2023.',
            )
    advance_forum_status(forum)  # closed
    held = forum.held_on
    save_draft(
        forum,
        DraftData(
            conclusions=CONCLUSIONS,
            minutes_number='05/BB-UBND',
            notice_number='12/TB-UBND',
            chair_name=forum.chairs[0].name,
            chair_title=forum.chairs[0].title,
            secretary_name=secretary.full_name,
            recipients='Thường trực Tỉnh ủy (b/c)\nThường trực HĐND tỉnh (b/c)\nCác sở, ban, ngành',
            tasks=[TaskData(body, what, held + timedelta(days=days)) for body, what, days in TASKS],
        ),
        user=secretary,
        now=moment + timedelta(hours=2),
    )
    db.session.commit()
    return forum.id, checkins


def platypus_annex(data) -> tuple[float, int]:
    """The baseline: the same annex as a platypus ``LongTable`` of ``Paragraph`` cells (header
    repeated, one spanning row per bridge point); returns (seconds, pages)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    from forum.minutes.blocks import ANNEX_COLUMNS
    from forum.pdf_fonts import BOLD, REGULAR

    started = time.perf_counter()
    cell = ParagraphStyle('cell', fontName=REGULAR, fontSize=11, leading=13)
    title = ParagraphStyle('title', parent=cell, fontName=BOLD)
    rows = [[Paragraph(column.title, title) for column in ANNEX_COLUMNS]]
    styles = [('GRID', (0, 0), (-1, -1), 0.5, 'black'), ('VALIGN', (0, 0), (-1, -1), 'TOP')]
    serial = 0
    for point in data.annex:
        rows.append([Paragraph(f'Điểm cầu {point.name}', title), '', '', '', ''])
        styles.append(('SPAN', (0, len(rows) - 1), (-1, len(rows) - 1)))
        for row in point.rows:
            serial += 1
            rows.append([Paragraph(text, cell) for text in (str(serial), *row)])
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm,
                                 topMargin=20 * mm, bottomMargin=20 * mm)  # fmt: skip
    table = LongTable(rows, colWidths=[c.width_mm * mm for c in ANNEX_COLUMNS], repeatRows=1)
    table.setStyle(TableStyle(styles))
    document.build([table])
    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages)
    return time.perf_counter() - started, pages


def timed(function, repeat: int) -> tuple[list[tuple[float, float]], bytes]:
    """Run ``function`` (returning (read seconds, pdf)) ``repeat`` times from a cold session."""
    from forum.extensions import db

    runs, pdf = [], b''
    for _ in range(repeat):
        db.session.expire_all()
        started = time.perf_counter()
        read, pdf = function()
        runs.append((read, time.perf_counter() - started))
    return runs, pdf


def main() -> None:
    """Seed, time both documents, check the minutes, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--delegates', type=int, default=2100)
    parser.add_argument('--checkins', type=int, default=1500)
    parser.add_argument('--questions', type=int, default=30)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--database-url', help='default: a fresh SQLite file in a temp dir')
    parser.add_argument('--no-baseline', action='store_true', help='skip the platypus baseline')
    options = parser.parse_args()

    import logging

    import pypdf
    import reportlab

    from config import TestConfig
    from forum import create_app
    from forum.extensions import db
    from forum.forums.models import Forum
    from forum.minutes.docx import minutes_docx, notice_docx
    from forum.minutes.drafts import find_draft
    from forum.minutes.facts import minutes_data, notice_data
    from forum.minutes.pdf import render_minutes, render_notice

    print(f'Machine: {machine()}; reportlab {reportlab.Version}')
    with tempfile.TemporaryDirectory() as tmp, scratch_database(options.database_url, tmp) as cfg:
        app = create_app(TestConfig, {**cfg, 'TESTING': False})
        logging.getLogger().setLevel(logging.WARNING)
        with app.app_context():
            db.create_all()
            dialect = db.engine.dialect.name
            version = db.session.execute(
                db.text('SELECT sqlite_version()' if dialect == 'sqlite' else 'SHOW server_version')
            ).scalar()
            print(f'Database: {dialect} {version}')
            forum_id, checkins = prepare(options.delegates, options.checkins, options.questions)

            def minutes():
                forum = db.session.get(Forum, forum_id)
                started = time.perf_counter()
                data = minutes_data(forum, find_draft(forum))
                read = time.perf_counter() - started
                return read, render_minutes(data)

            def notice():
                forum = db.session.get(Forum, forum_id)
                started = time.perf_counter()
                data = notice_data(forum, find_draft(forum))
                read = time.perf_counter() - started
                return read, render_notice(data)

            minutes_runs, minutes_pdf = timed(minutes, options.repeat)
            notice_runs, notice_pdf = timed(notice, options.repeat)
            forum = db.session.get(Forum, forum_id)
            draft = find_draft(forum)
            data = minutes_data(forum, draft)
            started = time.perf_counter()
            minutes_word = minutes_docx(data)
            notice_word = notice_docx(notice_data(forum, draft))
            word = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()

    reader = pypdf.PdfReader(io.BytesIO(minutes_pdf))
    text = ' '.join(' '.join(page.extract_text().split()) for page in reader.pages)
    rows = sum(len(point.rows) for point in data.annex)
    present = re.search(r'có mặt ([\d.]+) người', text).group(1).replace('.', '')
    answered = sum(1 for point in data.raised for item in point.items if item.answered)
    assert int(present) == checkins, (present, checkins)
    assert rows == options.delegates and f'{rows} ' in text
    print(
        f'Forum: {len(data.annex)} bridge points, {rows} delegates in the annex, {checkins} '
        f'present, {sum(len(p.items) for p in data.raised)} questions ({answered} answered)'
    )

    def report(name, runs, pdf, target):
        totals = [total for _read, total in runs]
        median = statistics.median(totals)
        read = statistics.median(read for read, _total in runs)
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        print(
            f'{name}: runs {", ".join(f"{t:.2f}" for t in totals)} s; median {median:.2f} s '
            f'(reading the data {read:.2f} s, drawing {median - read:.2f} s); {pages} pages, '
            f'{len(pdf) / 1024:.0f} KiB (target < {target} s)'
        )
        return median < target

    ok = report('Minutes (BIÊN BẢN + annex)', minutes_runs, minutes_pdf, MINUTES_TARGET)
    ok &= report('Notice (THÔNG BÁO)', notice_runs, notice_pdf, NOTICE_TARGET)
    print(
        f'Word exports (not timed by the issue): minutes {len(minutes_word) / 1024:.0f} KiB and '
        f'notice {len(notice_word) / 1024:.0f} KiB in {word:.2f} s together'
    )
    if not options.no_baseline:
        seconds, pages = platypus_annex(data)
        print(f'Baseline: the annex alone as a platypus LongTable of Paragraph cells: '
              f'{seconds:.2f} s, {pages} pages')  # fmt: skip
    print('PASS' if ok else 'FAIL')
    if not ok:
        raise SystemExit(1)


if __name__ == '__main__':
    main()
