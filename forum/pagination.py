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
    """Run ``query`` for one page and count all its rows."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, per_page=per_page)
