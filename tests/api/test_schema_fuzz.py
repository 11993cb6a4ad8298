"""The API against its own OpenAPI document, fuzzed by schemathesis: whatever a client sends
(valid, or not, as the document allows or not), no answer is a 5xx, and every answer is one the
document lists, with the body its schema describes.

A bounded run: a few dozen generated requests per operation, derandomized so a failure can be
replayed, as an organiser (who reaches every staff operation) on a forum with bridge points,
delegates, a check-in and a question. Rate limits are off: they answer 429 by design, and
``tests/auth/test_rate_limits.py`` tests them.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config import TestConfig
from forum import create_app
from forum.auth.models import UserRole

EXAMPLES_PER_OPERATION = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _operation_labels() -> list[str]:
    """Every operation of the document ("POST /api/v1/forums/{forum_id}/checkins", …)."""
    schema = schemathesis.openapi.from_wsgi('/api/v1/openapi.json', create_app(TestConfig))
    return sorted(result.ok().label for result in schema.get_all_operations())


@pytest.fixture
def staff_headers(app, client, create_forum, create_delegate, create_user, api_token):
    forum = create_forum(unit_codes=['024'])
    district = next(v for v in forum.venues if v.unit_code == '024')
    thao = create_delegate(forum, 'Nguyễn Thị Thảo', venue=district)
    create_delegate(forum, 'Trần Văn Bình')
    headers = api_token(create_user(UserRole.ORGANISER))
    client.post(f'/api/v1/forums/{forum.id}/checkins', json={'code': thao.code}, headers=headers)
    client.post(
        f'/api/v1/forums/{forum.id}/questions', json={'text': 'Xin hỏi?', 'code': thao.code}
    )
    return headers


@pytest.mark.parametrize('label', _operation_labels())
def test_no_request_gets_a_5xx_or_an_undocumented_answer(app, job_worker, staff_headers, label):
    app.config['RATELIMIT_ENABLED'] = False
    schema = schemathesis.openapi.from_wsgi('/api/v1/openapi.json', app)
    operation = schema.find_operation_by_label(label)
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        case.call_and_validate(headers=staff_headers, checks=CHECKS)

    fuzz()
