"""What the queue's kinds, modes and states are called in the interface
(Vietnamese, translated to English)."""

from flask_babel import lazy_gettext as _l

from forum.qa.models import QuestionKind, QuestionMode, QuestionStatus

QUESTION_KIND_LABELS = {
    QuestionKind.QUESTION: _l('Câu hỏi'),
    QuestionKind.OPINION: _l('Ý kiến'),
    QuestionKind.PROPOSAL: _l('Kiến nghị, đề xuất'),
}
QUESTION_MODE_LABELS = {
    QuestionMode.WRITTEN: _l('Gửi bằng văn bản'),
    QuestionMode.ORAL: _l('Đăng ký phát biểu'),
}
QUESTION_STATUS_LABELS = {
    QuestionStatus.PENDING: _l('Chờ duyệt'),
    QuestionStatus.APPROVED: _l('Đã duyệt'),
    QuestionStatus.CURRENT: _l('Đang trên màn hình'),
    QuestionStatus.ANSWERED: _l('Đã trả lời'),
    QuestionStatus.DISMISSED: _l('Đã loại'),
}
