"""Async repositories over one ``AsyncSession``. They flush but never commit:
the service that owns the unit of work commits."""
