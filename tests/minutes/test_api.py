"""``GET /api/v1/forums/{fid}/minutes.pdf``: the draft before issuing, the issued bytes after."""

import hashlib
import io

import pypdf

from forum.extensions import db
from forum.minutes.drafts import save_draft
from forum.minutes.issuing import issue_document
from forum.minutes.models import DocumentKind
from tests.minutes.test_services import AFTER, draft_data


def pdf_text(data: bytes) -> str:
    return '\n'.join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_secretariat_gets_the_draft_minutes(client, finished_forum, api_token):
    response = client.get(
        f'/api/v1/forums/{finished_forum.forum_id}/minutes.pdf',
        headers=api_token(finished_forum.secretary),
    )
    assert response.status_code == 200
    assert response.mimetype == 'application/pdf'
    assert response.headers['X-Minutes-Version'] == 'draft'
    text = pdf_text(response.data)
    assert 'BIÊN BẢN' in text and 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' in text


def test_after_issuing_the_issued_bytes_are_served(app, client, finished_forum, api_token):
    with app.app_context():
        forum = finished_forum.forum()
        secretary = db.session.merge(finished_forum.secretary)
        save_draft(forum, draft_data(), user=secretary, now=AFTER)
        db.session.commit()
        checksum = issue_document(forum, DocumentKind.MINUTES, user=secretary, now=AFTER).sha256
        db.session.commit()
    response = client.get(
        f'/api/v1/forums/{finished_forum.forum_id}/minutes.pdf',
        headers=api_token(finished_forum.secretary),
    )
    assert response.headers['X-Minutes-Version'] == '1'
    assert hashlib.sha256(response.data).hexdigest() == checksum


def test_operators_and_delegates_cannot_read_the_minutes(client, finished_forum, api_token):
    url = f'/api/v1/forums/{finished_forum.forum_id}/minutes.pdf'
    assert client.get(url, headers=api_token(finished_forum.operator)).status_code == 403
    assert client.get(url).status_code == 401
