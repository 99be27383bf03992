"""Storage of freezer_core: SQLAlchemy models, alembic migrations and the
queries. This is the only part of freezer_core that imports SQLAlchemy and
oslo.db.
"""
