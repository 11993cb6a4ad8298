"""``POST /api/v1/auth/token``: exchange an e-mail and password for a bearer token."""

from forum.api import bp
from forum.api.schemas import ErrorSchema, TokenRequestSchema, TokenSchema
from forum.auth.services import authenticate, issue_api_token
from forum.errors import ApiError


@bp.post('/auth/token')
@bp.doc(security=[])
@bp.arguments(TokenRequestSchema)
@bp.response(200, TokenSchema)
@bp.alt_response(401, schema=ErrorSchema, description='Wrong e-mail or password.')
def issue_token(credentials):
    """Sign in: returns a bearer token to send as ``Authorization: Bearer <token>``."""
    user = authenticate(credentials['email'], credentials['password'])
    if user is None:
        raise ApiError(401, 'Wrong e-mail or password.', code='invalid_credentials')
    return {'token': issue_api_token(user), 'role': user.role.value}
