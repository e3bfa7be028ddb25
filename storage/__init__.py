"""Storage: SQLAlchemy models, the repositories (the only place SQL is written;
they flush, never commit), their ports (``storage.ports``) and Alembic migrations."""
