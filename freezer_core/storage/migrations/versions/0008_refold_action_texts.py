"""Rebuild the free-text index of existing actions.

Free text used to be folded with ``str.lower`` and to include the owner
fields ``project_id`` and ``user_id``; it is now folded with
``str.casefold`` and covers only what the client wrote and the ids
(spec ``actions.md``, "Listing, search and pagination"; issue 20 item 8).
New writes index the new way; this revision recomputes ``action_texts``
for every action already stored, so ``STRASSE`` finds an older
``Straße`` and searching the project's own name no longer returns every
action. The index rows are computed by the same domain functions as the
repository's (:func:`freezer_core.search.text_values` of
:func:`freezer_core.actions.search_view`); the SQLite FTS5 table and the
PostgreSQL trigram index follow ``action_texts`` by themselves
(migration 0002). Actions are read in batches of :data:`BATCH`, so the
memory used does not grow with the collection.

Revision ID: 0008_refold_action_texts
Revises: 0007_backups
Create Date: 2026-12-01
"""

import json

from alembic import op
import sqlalchemy as sa

from freezer_core import actions
from freezer_core import search

revision = '0008_refold_action_texts'
down_revision = '0007_backups'
branch_labels = None
depends_on = None

#: Actions re-indexed per round trip.
BATCH = 500

_ACTIONS = sa.table(
    'actions', sa.column('id', sa.BigInteger), sa.column('action_id'),
    sa.column('project_id'), sa.column('user_id'),
    sa.column('freezer_action'), sa.column('max_retries'),
    sa.column('max_retries_interval'), sa.column('mandatory'))
_TEXTS = sa.table('action_texts', sa.column('action_pk', sa.BigInteger),
                  sa.column('project_id'), sa.column('text'))


def _str(value):
    """A column value as str (MySQL's VARBINARY ids come back as bytes)."""
    return value.decode('utf-8') if isinstance(value, bytes) else value


def _texts(row):
    """The folded texts of one stored action (what a write indexes)."""
    record = {'action_id': _str(row.action_id),
              'project_id': _str(row.project_id),
              'user_id': _str(row.user_id),
              'freezer_action': json.loads(row.freezer_action),
              'max_retries': row.max_retries,
              'max_retries_interval': row.max_retries_interval,
              'mandatory': bool(row.mandatory)}
    return sorted(search.text_values(actions.search_view(record)))


def upgrade():
    """Recompute ``action_texts`` of every action, batch by batch."""
    connection = op.get_bind()
    last = None
    while True:
        query = sa.select(_ACTIONS).order_by(_ACTIONS.c.id).limit(BATCH)
        if last is not None:
            query = query.where(_ACTIONS.c.id > last)
        rows = connection.execute(query).all()
        if not rows:
            return
        pks = [row.id for row in rows]
        connection.execute(_TEXTS.delete().where(
            _TEXTS.c.action_pk.in_(pks)))
        values = [{'action_pk': row.id, 'project_id': row.project_id,
                   'text': text} for row in rows for text in _texts(row)]
        if values:
            connection.execute(_TEXTS.insert(), values)
        last = pks[-1]
