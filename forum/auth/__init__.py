"""Accounts, roles, sign-in for pages and bearer tokens for the API."""

from flask import Blueprint

bp = Blueprint('auth', __name__)
