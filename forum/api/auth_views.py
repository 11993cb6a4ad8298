"""``POST /api/v1/auth/token``: exchange an e-mail and password for a bearer token."""

from forum.api import bp
from forum.api.access import open_to_anyone
from forum.api.schemas import ErrorSchema
from forum.auth.schemas import TokenRequestSchema, TokenSchema
from forum.auth.services import authenticate, issue_api_token
from forum.errors import ApiError
from forum.ratelimits import check_sign_in, record_failed_sign_in


@bp.post('/auth/token')
@bp.doc(security=[])
@bp.arguments(TokenRequestSchema)
@bp.response(200, TokenSchema)
@bp.alt_response(401, schema=ErrorSchema, description='Wrong e-mail or password.')
@bp.alt_response(
    429, schema=ErrorSchema, description='Too many failed sign-ins: see `Retry-After`.'
)
@open_to_anyone
def issue_token(credentials):
    """Sign in: returns a bearer token to send as ``Authorization: Bearer <token>``."""
    check_sign_in(credentials['email'])
    user = authenticate(credentials['email'], credentials['password'])
    if user is None:
        record_failed_sign_in(credentials['email'])
        raise ApiError(401, 'Wrong e-mail or password.', code='invalid_credentials')
    return {'token': issue_api_token(user), 'role': user.role.value}
