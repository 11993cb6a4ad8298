"""The words the pages' scripts show, in the reader's language: one place for all of them.

Each page that runs a script hands it its words as JSON (``<script type="application/json">``),
translated with the rest of the page; the words every live page shares (the channel's states, a
lost request) are written once, in ``live_text``. Templates reach these as ``script_text``.
"""

from flask_babel import gettext as _


def live_text() -> dict:
    """The live channel's states and a request's failures, on every page that follows /live."""
    return {
        'live': _('Trực tiếp'),
        'connecting': _('Đang kết nối…'),
        'offline': _('Mất kết nối, đang thử lại…'),
        'refused': _('Không kết nối được; hãy tải lại trang.'),
        'speaking_now': _('đang phát biểu'),
        'network': _('Không gửi được: mất kết nối. Xin thử lại.'),
        'expired': _('Phiên làm việc đã hết hạn; hãy tải lại trang.'),
        'failed': _('Không thực hiện được, xin thử lại.'),
    }


def delegate_queue_text() -> dict:
    """The queue on the delegate's own page: sending, their items, voting."""
    return {
        **live_text(),
        'my_status': {
            'pending': _('Chờ duyệt'),
            'approved': _('Đã duyệt, đang chờ đến lượt'),
            'current': _('Đang trình chiếu'),
            'answered': _('Đã trả lời'),
        },
        'now': _('Đang trình chiếu'),
        'vote': _('Bình chọn'),
        'voted': _('Đã bình chọn'),
        'votes': _('{count} bình chọn'),
        'answered_by': _('Trả lời: {name}'),
        'sent': _('Đã gửi. Câu hỏi sẽ hiện lên sau khi được Ban Tổ chức duyệt.'),
        'sending': _('Đang gửi…'),
        'empty_text': _('Xin nhập nội dung.'),
        'too_long': _('Nội dung dài quá {max} ký tự.'),  # {max} is filled in by the page
        'chars': _('{count}/{max} ký tự'),
        'no_mine': _('Quý đại biểu chưa gửi câu hỏi hay ý kiến nào.'),
        'no_queue': _('Chưa có câu hỏi, ý kiến nào được duyệt.'),
        'forum_closed': _('Hội nghị đã kết thúc.'),
    }


def moderation_text() -> dict:
    """The moderators' desk."""
    return {
        **live_text(),
        'approve': _('Duyệt'),
        'dismiss': _('Loại'),
        'edit': _('Sửa'),
        'save': _('Lưu'),
        'save_approve': _('Lưu và duyệt'),
        'cancel': _('Hủy'),
        'to_screen': _('Lên màn hình'),
        'off_screen': _('Trả về hàng đợi'),
        'answered': _('Đã trả lời'),
        'answer_save': _('Lưu: đã trả lời'),
        'edit_answer': _('Sửa nội dung trả lời'),
        'to_pending': _('Về chờ duyệt'),
        'restore': _('Khôi phục'),
        'up': _('Lên'),
        'down': _('Xuống'),
        'drag': _('Kéo để sắp xếp'),
        'merge_pick': _('Chọn để gộp'),
        'merge_here': _('Gộp {count} mục đã chọn vào đây'),
        'held': _('có từ ngữ cần xem'),
        'on_behalf': _('cán bộ điểm cầu đăng ký'),
        'votes': _('{count} bình chọn'),
        'answered_by': _('Người trả lời'),
        'response': _('Giải trình / tiếp thu (ngắn gọn)'),
        'answered_by_line': _('Trả lời: {name}'),
        'edited': _('Đã sửa; nội dung gốc:'),
        'merged_into': _('Đã gộp vào mục #{id}'),
        'nothing_current': _('Chưa có mục nào trên màn hình.'),
        'empty': _('Không có mục nào.'),
        'names_saved': _('Đã lưu cài đặt.'),
    }


def screen_text() -> dict:
    """The big screen of the hub or of a bridge point."""
    return {
        **live_text(),
        'nothing_current': _('Chưa có câu hỏi, ý kiến nào trên màn hình.'),
        'no_next': _('Chưa có câu hỏi, ý kiến tiếp theo.'),
        'no_speakers': _('Chưa có đại biểu đăng ký phát biểu.'),
        'own_venue': _('điểm cầu này'),
    }


def venue_questions_text() -> dict:
    """A bridge point's page for its operators: items for people in the room."""
    return {
        **live_text(),
        'own_venue': _('điểm cầu này'),
        'sent': _('Đã gửi mục #{id}; đang chờ điều phối viên duyệt.'),
        'sending': _('Đang gửi…'),
        'name_required': _('Nhập họ và tên người phát biểu.'),
        'empty_text': _('Xin nhập nội dung.'),
        'no_items': _('Điểm cầu chưa có mục nào.'),
        'no_speakers': _('Chưa có đại biểu đăng ký phát biểu.'),
        'votes': _('{count} bình chọn'),
    }


def board_text() -> dict:
    """The attendance board."""
    return {
        **live_text(),
        'updated': _('Cập nhật lúc {time}'),
        'invited': _('Được mời'),
        'present': _('Có mặt'),
        'hub': _('Điểm cầu tỉnh'),
        'attention': _('{count} cần chú ý'),
        'reason_not_checked': _('chưa báo cáo kết nối'),
        'reason_problem': _('có sự cố kết nối'),
        'reason_empty': _('chưa có ai điểm danh'),
    }


def scanner_text(connection_labels: dict) -> dict:
    """The door's scanner (``connection_labels``: the roll call's answers, by value)."""
    return {
        'ready': _('Sẵn sàng quét'),
        'sending': _('Đang gửi…'),
        'checked_in': _('Đã điểm danh'),
        'already': _('Đã điểm danh trước đó'),
        'already_details': _('Lúc {time} tại {venue}, do {by} điểm danh.'),
        'replayed': _('(lượt quét này đã được ghi nhận trước đó)'),
        'walk_in': _('Khách đăng ký tại chỗ'),
        'other_venue_badge': _('Đại biểu của điểm cầu khác'),
        'bridge_point': _('Điểm cầu'),
        'unknown_code': _('Không tìm thấy mã'),
        'revoked_code': _('Mã đã bị thu hồi'),
        'refused': _('Không điểm danh được'),
        'scanned': _('Mã đã quét: {code}'),
        'confirm_title': _('Đại biểu của điểm cầu {venue}. Cho vào tại đây?'),
        'confirm_yes': _('Cho vào tại đây'),
        'confirm_no': _('Không'),
        'queued': _('Chưa gửi được: đã lưu trên máy'),
        'queued_details': _('Lượt quét sẽ tự gửi khi có mạng trở lại.'),
        'pending': _('{count} lượt quét đang chờ gửi'),
        'pending_none': _('Không có lượt quét nào chờ gửi.'),
        'late': _('gửi muộn'),
        'camera_on': _('Bật camera'),
        'camera_off': _('Tắt camera'),
        'camera_unavailable': _(
            'Trình duyệt không cho dùng camera (cần HTTPS). Hãy dùng máy quét hoặc nhập mã.'
        ),
        'camera_denied': _('Không mở được camera: {error}'),
        'search_short': _('Nhập ít nhất 2 ký tự của tên.'),
        'search_none': _('Không có ai tên như vậy.'),
        'search_count': _('{shown} / {total} người'),
        'search_offline': _('Không tìm được khi mất mạng. Hãy thử lại hoặc nhập mã.'),
        'search_checked_in': _('Đã điểm danh lúc {time} tại {venue}'),
        'search_other_venue': _('Điểm cầu: {venue}'),
        'check_in': _('Điểm danh'),
        'status_sent': _('Đã báo cáo lúc {time}.'),
        'status_failed': _('Chưa gửi được báo cáo; hãy thử lại khi có mạng.'),
        'status_labels': {key: str(label) for key, label in connection_labels.items()},
    }


def job_text() -> dict:
    """A job's page, while it follows the job's progress."""
    return {
        'states': {
            'queued': _('Đang chờ xử lý…'),
            'running': _('Đang xử lý…'),
            'done': _('Đã xong.'),
            'failed': _('Không thực hiện được.'),
        },
    }


SCRIPT_TEXT = {
    'board': board_text,
    'delegate_queue': delegate_queue_text,
    'job': job_text,
    'moderation': moderation_text,
    'scanner': scanner_text,
    'screen': screen_text,
    'venue_questions': venue_questions_text,
}


def script_text(page: str, *args) -> dict:
    """The words of ``page``'s script (a template global)."""
    return SCRIPT_TEXT[page](*args)
