"""Invitations: codes, the GIẤY MỜI PDF with its QR code, the delegate's page, e-mail, RSVP."""

from flask import Blueprint

bp = Blueprint('invitations', __name__)
