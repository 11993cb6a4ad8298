"""The BIÊN BẢN and the THÔNG BÁO as editable Word files (.docx), for secretaries who finish
documents in Word before signing.

Pure: plain data in, bytes out. The same ``Document`` blocks as the PDF, in the decree's page:
A4, margins 20/20/30/15 mm, Times New Roman 13 pt justified with a 1 cm first-line indent, the
two-column header as a borderless table, page numbers centred in the header from page 2. The
annex rows are copied from one prepared row (lxml), since python-docx's cell API is slow for
thousands of rows.
"""

import math
from copy import deepcopy
from io import BytesIO

from docx import Document as new_word_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from forum.documents.page import (
    HEADER_LEFT_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
)
from forum.documents.wording import dated_line
from forum.minutes.blocks import Document, PageBreak, Para, Recipients, Signatures, Table
from forum.minutes.content import minutes_document, notice_document
from forum.minutes.records import MinutesData, NoticeData
from forum.pdf_fonts import BOLD, BOLD_ITALIC, ITALIC

FONT_NAME = 'Times New Roman'  # Liberation Serif in the PDF has the same metrics
POINTS_PER_MM = 72 / 25.4
A4_TWIPS = (11906, 16838)  # Word's own A4
PAGE_WIDTH_MM = 210
CONTENT_WIDTH_MM = PAGE_WIDTH_MM - (MARGIN_LEFT + MARGIN_RIGHT) / POINTS_PER_MM
HEADER_LEFT_MM = HEADER_LEFT_WIDTH / POINTS_PER_MM
FIRST_LINE_INDENT_MM = 10
TABLE_SIZE = 11
SIGNING_LINES = 4  # empty lines for the hand signature and the seal


def minutes_docx(data: MinutesData) -> bytes:
    """The BIÊN BẢN, annex included, as a .docx file."""
    return render_docx(minutes_document(data))


def notice_docx(data: NoticeData) -> bytes:
    """The THÔNG BÁO kết luận as a .docx file."""
    return render_docx(notice_document(data))


def render_docx(document: Document) -> bytes:
    """A ``Document`` as .docx bytes."""
    word = new_word_document()
    _set_up_page(word, document)
    _header(word, document)
    for block in document.blocks:
        if isinstance(block, Para):
            _paragraph(word, block, document.body_size)
        elif isinstance(block, Signatures):
            _signatures(word, block)
        elif isinstance(block, Recipients):
            _recipients(word, word.add_paragraph(), block.lines, space_before=12)
        elif isinstance(block, PageBreak):
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Table):
            _table(word, block)
    properties = word.core_properties
    properties.title = document.title
    properties.author = document.author
    properties.subject = document.subject
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# The page -------------------------------------------------------------------------------------


def _set_up_page(word, document: Document) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    # Word keeps margins in twips: round up, so that none falls under the decree's minimum.
    section.top_margin = _twips(MARGIN_TOP)
    section.bottom_margin = _twips(MARGIN_BOTTOM)
    section.left_margin = _twips(MARGIN_LEFT)
    section.right_margin = _twips(MARGIN_RIGHT)
    section.header_distance = Mm(10)
    normal = word.styles['Normal']
    normal.font.name = FONT_NAME
    normal.font.size = Pt(document.body_size)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ('w:ascii', 'w:hAnsi', 'w:eastAsia', 'w:cs'):
        fonts.set(qn(attribute), FONT_NAME)
    spacing = normal.paragraph_format
    spacing.space_before = Pt(0)
    spacing.space_after = Pt(0)
    spacing.line_spacing = 1.0
    # Page numbers from page 2, centred in the top margin, as the decree asks.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)


def _twips(points: float) -> Twips:
    return Twips(math.ceil(round(points * 20, 6)))


def _page_field(paragraph) -> None:
    field = OxmlElement('w:fldSimple')
    field.set(qn('w:instr'), 'PAGE')
    run = OxmlElement('w:r')
    text = OxmlElement('w:t')
    text.text = '2'
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _no_borders(table) -> None:
    borders = OxmlElement('w:tblBorders')
    for edge in ('top', 'left', 'bottom', 'right', 'insideH', 'insideV'):
        element = OxmlElement(f'w:{edge}')
        element.set(qn('w:val'), 'nil')
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _fixed_widths(table, widths_mm) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _line(container, text: str, *, bold=False, italic=False, size=None, centred=True,
          space_before=0, underline=False):  # fmt: skip
    """A one-line paragraph in a cell or the document."""
    paragraph = container.add_paragraph()
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(space_before)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if underline:
        run.underline = True
    if size:
        run.font.size = Pt(size)
    return paragraph


def _rule(container, width_mm: float, length_mm: float) -> None:
    """A short centred rule: an empty paragraph whose bottom border is ``length_mm`` long."""
    paragraph = container.add_paragraph()
    paragraph_format = paragraph.paragraph_format
    side = max((width_mm - length_mm) / 2, 0)
    paragraph_format.left_indent = Mm(side)
    paragraph_format.right_indent = Mm(side)
    paragraph_format.line_spacing = Pt(2)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement('w:pBdr')
    bottom = OxmlElement('w:bottom')
    for name, value in {'val': 'single', 'sz': '6', 'space': '1', 'color': '000000'}.items():
        bottom.set(qn(f'w:{name}'), value)
    borders.append(bottom)
    properties.append(borders)


def _header(word, document: Document) -> None:
    header = document.header
    table = word.add_table(rows=1, cols=2)
    _no_borders(table)
    right_mm = CONTENT_WIDTH_MM - HEADER_LEFT_MM
    _fixed_widths(table, (HEADER_LEFT_MM, right_mm))
    left, right = table.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    for line in header.parent_body_lines:
        _line(left, line.upper())
    for line in header.issuer_lines:
        _line(left, line.upper(), bold=True)
    _rule(left, HEADER_LEFT_MM, 22)
    _line(left, header.number, space_before=6)
    _line(right, NATIONAL_TITLE, bold=True, size=12.5)
    _line(right, NATIONAL_MOTTO, bold=True)
    _rule(right, right_mm, 58)
    date_line = dated_line(header.locality, header.day, header.year)
    _line(right, date_line, italic=True, space_before=6)
    _line(word, header.kind, bold=True, size=14, space_before=12)
    _line(word, header.subject, bold=True, size=14)
    _rule(word, CONTENT_WIDTH_MM, 40)


# The blocks -------------------------------------------------------------------------------------


def _paragraph(word, para: Para, size: float) -> None:
    paragraph = word.add_paragraph()
    paragraph_format = paragraph.paragraph_format
    paragraph_format.space_before = Pt(para.space_before)
    if para.keep_with_next:
        paragraph_format.keep_with_next = True
    if para.centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph_format.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
    for text, font in para.runs:
        run = paragraph.add_run(text)
        if font in (BOLD, BOLD_ITALIC):
            run.bold = True
        if font in (ITALIC, BOLD_ITALIC):
            run.italic = True


def _recipients(container, paragraph, lines, *, space_before: float = 0) -> None:
    """ "Nơi nhận:" in bold italics in ``paragraph``, then a paragraph of ``container`` per
    recipient, the last ending with a stop."""
    paragraph.paragraph_format.space_before = Pt(space_before)
    title = paragraph.add_run('Nơi nhận:')
    title.bold = title.italic = True
    title.font.size = Pt(12)
    for index, line in enumerate(lines):
        end = '.' if index == len(lines) - 1 else ';'
        item = container.add_paragraph()
        run = item.add_run(f'- {line}{end}')
        run.font.size = Pt(11)


def _signatures(word, signatures: Signatures) -> None:
    columns = list(signatures.columns)
    with_recipients = signatures.recipients is not None
    count = len(columns) + (1 if with_recipients else 0)
    table = word.add_table(rows=1, cols=count)
    _no_borders(table)
    _fixed_widths(table, [CONTENT_WIDTH_MM / count] * count)
    cells = list(table.rows[0].cells)
    word.paragraphs[-1].paragraph_format.keep_with_next = True
    if with_recipients:
        cell = cells.pop(0)
        _recipients(cell, cell.paragraphs[0], signatures.recipients)
    for cell, column in zip(cells, columns, strict=True):
        first = True
        for line in column.lines:
            if first:
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.add_run(line).bold = True
                first = False
            else:
                _line(cell, line, bold=True)
        for _ in range(SIGNING_LINES):
            cell.add_paragraph()
        _line(cell, column.name, bold=True)
    word.add_paragraph()


def _table(word, table_block: Table) -> None:
    """The annex: a bordered table, its header row repeated on every page."""
    columns = table_block.columns
    widths = [column.width_mm for column in columns]
    scale = CONTENT_WIDTH_MM / sum(widths)
    widths = [width * scale for width in widths]
    table = word.add_table(rows=1, cols=len(columns))
    table.style = word.styles['Table Grid']
    _fixed_widths(table, widths)
    header = table.rows[0]
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement('w:tblHeader')
    repeat.set(qn('w:val'), 'true')
    header_properties.append(repeat)
    for cell, column in zip(header.cells, columns, strict=True):
        _cell_text(cell, column.title, bold=True, centred=True)

    # Prototype rows, copied for every row below; each has one text element per cell.
    cell_row = table.add_row()
    for cell, column in zip(cell_row.cells, columns, strict=True):
        _cell_text(cell, '-', centred=column.centred)
    title_row = table.add_row()
    merged = title_row.cells[0].merge(title_row.cells[-1])
    _cell_text(merged, '-', bold=True)
    cell_prototype, title_prototype = cell_row._tr, title_row._tr
    tbl = table._tbl
    tbl.remove(cell_prototype)
    tbl.remove(title_prototype)
    for group in table_block.groups:
        row = deepcopy(title_prototype)
        row.find('.//' + qn('w:t')).text = group.title
        tbl.append(row)
        for values in group.rows:
            row = deepcopy(cell_prototype)
            for text_element, value in zip(row.iter(qn('w:t')), values, strict=True):
                text_element.text = value
            tbl.append(row)


def _cell_text(cell, text: str, *, bold=False, centred=False) -> None:
    paragraph = cell.paragraphs[0]
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_SIZE)
    if bold:
        run.bold = True
