"""How the pages name each kind of job and what it counts."""

from flask_babel import lazy_gettext as _l

KIND_TITLES = {
    'invitations_pdf': _l('Giấy mời (PDF)'),
    'delegates_preview': _l('Kiểm tra danh sách đại biểu'),
    'delegates_import': _l('Nhập danh sách đại biểu'),
    'delegates_export': _l('Xuất danh sách đại biểu'),
    'questions_export': _l('Xuất câu hỏi, ý kiến'),
    'minutes_document': _l('Biên bản, thông báo kết luận'),
    'minutes_issue': _l('Ban hành văn bản'),
    'mail': _l('Gửi thư'),
}
UNIT_NAMES = {
    'pages': _l('trang'),
    'rows': _l('dòng'),
    'messages': _l('thư'),
}


def job_title(job) -> str:
    """The name of the job for its page: its kind, and what it is about when it says so."""
    title = str(KIND_TITLES.get(job.kind, job.kind))
    if label := (job.params or {}).get('label'):
        title = f'{title}: {label}'
    return title


def unit_name(unit: str) -> str:
    """What a job counts, in the page's language (``pages`` → "trang")."""
    return str(UNIT_NAMES.get(unit, unit))
