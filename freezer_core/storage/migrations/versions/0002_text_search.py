"""Indexed free-text search, and SQLite's WAL journal.

Free text (``_all``) is a case-insensitive substring search over the
case-folded strings in ``action_texts``. Each engine gets the index that
answers ``LIKE '%text%'`` without scanning:

* SQLite: an FTS5 table with the trigram tokenizer over ``action_texts``
  (external content, kept in step by triggers inside the same
  transaction as the row); ``case_sensitive 1`` because the stored and
  searched texts are already folded by :func:`freezer_core.search.fold_text`,
  and a second folding could make different texts equal.
* PostgreSQL: a pg_trgm GIN index on ``action_texts.text``.
* MySQL: no substring index exists; the search stays a LIKE over the
  project's texts (documented limitation).

Revision ID: 0002_text_search
Revises: 0001_actions
Create Date: 2026-11-29
"""

from alembic import op

revision = '0002_text_search'
down_revision = '0001_actions'
branch_labels = None
depends_on = None

SQLITE_STATEMENTS = (
    "CREATE VIRTUAL TABLE action_texts_fts USING fts5("
    "text, content='action_texts', content_rowid='id', "
    "tokenize='trigram case_sensitive 1')",
    "CREATE TRIGGER action_texts_fts_insert AFTER INSERT ON action_texts "
    "BEGIN INSERT INTO action_texts_fts(rowid, text) "
    "VALUES (new.id, new.text); END",
    "CREATE TRIGGER action_texts_fts_delete AFTER DELETE ON action_texts "
    "BEGIN INSERT INTO action_texts_fts(action_texts_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER action_texts_fts_update AFTER UPDATE ON action_texts "
    "BEGIN INSERT INTO action_texts_fts(action_texts_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO action_texts_fts(rowid, text) "
    "VALUES (new.id, new.text); END",
)

POSTGRESQL_STATEMENTS = (
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    'CREATE INDEX ix_action_texts_trgm ON action_texts '
    'USING gin (text gin_trgm_ops)',
)


def upgrade():
    """Create the engine's substring index over ``action_texts``."""
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for statement in SQLITE_STATEMENTS:
            op.execute(statement)
        # Rebuild covers rows written before this revision.
        op.execute("INSERT INTO action_texts_fts(action_texts_fts) "
                   "VALUES ('rebuild')")
    elif dialect == 'postgresql':
        for statement in POSTGRESQL_STATEMENTS:
            op.execute(statement)
