"""Every enum's interface labels, by the name the templates use (each domain keeps its own in
its ``labels`` module)."""

from forum.auth.labels import USER_ROLE_LABELS
from forum.checkin.labels import CHECKIN_METHOD_LABELS
from forum.delegates.labels import DELEGATE_ROLE_LABELS
from forum.forums.labels import AGENDA_KIND_LABELS, FORUM_STATUS_LABELS, OFFICIAL_ROLE_LABELS
from forum.qa.labels import QUESTION_KIND_LABELS, QUESTION_MODE_LABELS, QUESTION_STATUS_LABELS
from forum.tiers.labels import CONNECTION_STATUS_LABELS, TIER_LABELS

ALL_LABELS = {
    'tier': TIER_LABELS,
    'forum_status': FORUM_STATUS_LABELS,
    'official_role': OFFICIAL_ROLE_LABELS,
    'agenda_kind': AGENDA_KIND_LABELS,
    'connection': CONNECTION_STATUS_LABELS,
    'user_role': USER_ROLE_LABELS,
    'delegate_role': DELEGATE_ROLE_LABELS,
    'checkin_method': CHECKIN_METHOD_LABELS,
    'question_kind': QUESTION_KIND_LABELS,
    'question_mode': QUESTION_MODE_LABELS,
    'question_status': QUESTION_STATUS_LABELS,
}
