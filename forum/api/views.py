"""All API views, imported so that their routes are attached to the blueprint."""

from forum.api import (  # noqa: F401
    auth_views,
    bp,
    checkin_views,
    forum_views,
    import_views,
    invitation_views,
    job_start_views,
    job_views,
    minutes_views,
    qa_views,
)
from forum.api.access import check_caller_first

__all__ = ['bp', 'document_security']

bp.before_request(check_caller_first)


def document_security(api) -> None:
    """Declare in the OpenAPI document how callers authenticate."""
    api.spec.components.security_scheme(
        'bearerAuth',
        {'type': 'http', 'scheme': 'bearer', 'description': 'From POST /api/v1/auth/token.'},
    )
    api.spec.components.security_scheme(
        'invitationCode',
        {
            'type': 'apiKey',
            'in': 'query',
            'name': 'code',
            'description': "A delegate's invitation code (also accepted as a JSON field).",
        },
    )
    api.spec.options['security'] = [{'bearerAuth': []}, {'invitationCode': []}]
