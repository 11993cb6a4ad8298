"""Paginating a SQLAlchemy select into ``{"items", "total", "page", "per_page"}``."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from forum.extensions import db


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paginate(query: Select, page: int, per_page: int) -> Page:
    """Run ``query`` for one page and count all its rows; a page past the end is empty (its
    offset, however large the page number, never reaches the database)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    offset = (page - 1) * per_page
    items = (
        list(db.session.scalars(query.limit(per_page).offset(offset)))
        if offset < (total or 0)
        else []
    )
    return Page(items=items, total=total or 0, page=page, per_page=per_page)
