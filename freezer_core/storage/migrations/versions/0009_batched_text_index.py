"""SQLite's free-text index takes new texts in batches.

Until now every write put its texts into the resource's FTS5 table in
its own transaction, and FTS5 wrote and merged a new index segment on
each commit. This revision keeps the texts tables as they are and lets
the writer index them in batches
(:func:`freezer_core.storage.migrations.search_tables.batch_sqlite_texts`,
issue 18): each ``<stem>_texts_fts`` gets a ``<stem>_texts_fts_mark``
saying up to which text ``id`` it is complete, and its triggers follow
only the texts at or below that mark. Every text stored before this
revision is already indexed, so the mark starts at the highest ``id``.
PostgreSQL and MySQL are left as they are.

Revision ID: 0009_batched_text_index
Revises: 0008_refold_action_texts
Create Date: 2026-12-02
"""

from freezer_core.storage.migrations import search_tables

revision = '0009_batched_text_index'
down_revision = '0008_refold_action_texts'
branch_labels = None
depends_on = None

#: Every resource with a search index at 0008.
STEMS = ('action', 'client', 'job', 'session', 'backup')


def upgrade():
    """Convert the FTS5 index of every resource (SQLite only)."""
    for stem in STEMS:
        search_tables.batch_sqlite_texts(stem)
