"""Compare ids, search terms and free text exactly on every engine.

0001 created these columns as plain ``VARCHAR``/``MEDIUMTEXT``, which on
MySQL/MariaDB take the database's default collation: ``utf8mb4_general_ci``
ignores case, accents and trailing spaces, so ``abc`` and ``ABC`` would be
one action id, project ``A`` would read project ``a``, and the SQL search
would answer differently from the in-memory matcher. This revision gives
them the types of :class:`freezer_core.storage.models.ExactString` and
``SearchText`` (a new revision rather than an edit of 0001, so that a
database already at 0002 is corrected too):

* MySQL: ``VARBINARY`` (UTF-8 bytes; 4 per character) for ids, term
  names and values; ``MEDIUMTEXT ... COLLATE utf8mb4_bin`` for
  ``action_texts.text``;
* PostgreSQL: ``COLLATE "C"`` on the same ``VARCHAR`` columns, so that the
  stable list order does not follow the database's locale;
* SQLite: nothing (its BINARY collation is exact already).

Revision ID: 0003_exact_strings
Revises: 0002_text_search
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql

revision = '0003_exact_strings'
down_revision = '0002_text_search'
branch_labels = None
depends_on = None

# (table, column, length in characters), as created by 0001.
COLUMNS = (
    ('actions', 'action_id', 64),
    ('actions', 'project_id', 255),
    ('actions', 'user_id', 255),
    ('action_terms', 'project_id', 255),
    ('action_terms', 'name', 130),
    ('action_terms', 'value', 130),
    ('action_texts', 'project_id', 255),
)


def upgrade():
    """Change the column types on MySQL and PostgreSQL."""
    dialect = op.get_bind().dialect.name
    if dialect == 'mysql':
        for table, column, length in COLUMNS:
            # MySQL converts the stored characters to their utf8mb4
            # bytes; the indexes holding the column are rebuilt.
            op.alter_column(table, column, type_=mysql.VARBINARY(length * 4),
                            existing_type=sa.String(length),
                            existing_nullable=False)
        op.alter_column('action_texts', 'text',
                        type_=mysql.MEDIUMTEXT(charset='utf8mb4',
                                               collation='utf8mb4_bin'),
                        existing_type=mysql.MEDIUMTEXT(),
                        existing_nullable=False)
    elif dialect == 'postgresql':
        for table, column, length in COLUMNS:
            op.alter_column(table, column,
                            type_=postgresql.VARCHAR(length, collation='C'),
                            existing_type=sa.String(length),
                            existing_nullable=False)
