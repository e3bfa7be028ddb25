"""Column types shared by the models.

``UtcDateTime`` is the one place where stored times become timezone-aware UTC:
SQLite keeps no offset and hands back naive values, PostgreSQL hands back
aware ones in the session's zone. Code above storage therefore never has to
repair a time read from the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def as_utc(value: datetime) -> datetime:
    """``value`` as aware UTC; a naive value is taken to be UTC already (Pintu's convention)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A ``TIMESTAMP WITH TIME ZONE`` that stores UTC and always reads back aware UTC.

    The impl is exactly the type the migrations create (``DateTime(timezone=True)``),
    so Alembic's comparison sees no difference.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC before storing (SQLite would keep a non-UTC wall clock as is)."""
        return None if value is None else as_utc(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        """Aware UTC whatever the driver returns (SQLite: naive UTC)."""
        return None if value is None else as_utc(value)

    @property
    def python_type(self) -> type[datetime]:
        """Plain ``datetime``, as for the impl."""
        return datetime
