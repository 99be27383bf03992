"""Create a resource's search index tables in a migration.

A new resource's migration calls :func:`create` once, after creating its
document table: it creates the tables that
:func:`freezer_core.storage.models.search_index` declares
(``<stem>_terms``, ``<stem>_texts`` and their indexes) and the engine's
substring index over the texts, the same structures migrations 0001-0003
gave ``actions``:

* SQLite: an FTS5 table ``<stem>_texts_fts`` with the trigram tokenizer
  (external content, ``case_sensitive 1`` because the texts are already
  folded) that takes the texts in batches (:func:`batch_sqlite_texts`);
* PostgreSQL: a pg_trgm GIN index ``ix_<stem>_texts_trgm``;
* MySQL: none (free text stays a LIKE over the project's texts).

Only for use inside an alembic migration (it uses ``alembic.op``).
"""

from alembic import op
import sqlalchemy as sa

from freezer_core.storage import models

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE {fts} USING fts5("
    "text, content='{texts}', content_rowid='id', "
    "tokenize='trigram case_sensitive 1')")

#: The triggers of migrations 0002-0007: every text enters the FTS5 index
#: in the transaction that writes it.
_SQLITE_IMMEDIATE = (
    "CREATE TRIGGER {fts}_insert AFTER INSERT ON {texts} "
    "BEGIN INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER {fts}_delete AFTER DELETE ON {texts} "
    "BEGIN INSERT INTO {fts}({fts}, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER {fts}_update AFTER UPDATE ON {texts} "
    "BEGIN INSERT INTO {fts}({fts}, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text); END",
)

#: The triggers of migration 0009 (:func:`batch_sqlite_texts`): the FTS5
#: index holds exactly the texts whose ``id`` is at most ``{mark}``'s
#: ``indexed_upto``; the writer indexes the ones above it in batches
#: (:meth:`freezer_core.storage.search_index.IndexWriter.catch_up`).
#: A text inserted at or below the mark (SQLite gives a deleted last
#: row's id to the next insert) is indexed at once, so the rule holds.
_SQLITE_BATCHED = (
    "CREATE TRIGGER {fts}_insert AFTER INSERT ON {texts} "
    "WHEN new.id <= (SELECT indexed_upto FROM {mark}) "
    "BEGIN INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER {fts}_delete AFTER DELETE ON {texts} "
    "WHEN old.id <= (SELECT indexed_upto FROM {mark}) "
    "BEGIN INSERT INTO {fts}({fts}, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER {fts}_update AFTER UPDATE ON {texts} "
    "BEGIN INSERT INTO {fts}({fts}, rowid, text) "
    "SELECT 'delete', old.id, old.text "
    "WHERE old.id <= (SELECT indexed_upto FROM {mark}); "
    "INSERT INTO {fts}(rowid, text) SELECT new.id, new.text "
    "WHERE new.id <= (SELECT indexed_upto FROM {mark}); END",
)

_SQLITE_TRIGGERS = ('insert', 'delete', 'update')

_POSTGRESQL_STATEMENTS = (
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    'CREATE INDEX ix_{texts}_trgm ON {texts} USING gin (text gin_trgm_ops)',
)


def _sqlite_names(stem):
    texts = stem + '_texts'
    return {'texts': texts, 'fts': texts + '_fts',
            'mark': texts + '_fts_mark'}


def batch_sqlite_texts(stem):
    """Let a resource's FTS5 index take its texts in batches (SQLite).

    A single-document write used to index its dozen texts in its own
    transaction, and FTS5 then wrote and merged a new index segment on
    every commit: about a third of a create's statement time at a million
    actions (issue 18, ``docs/performance.rst``). From here on the writer
    indexes the texts written since the last batch once there are
    :data:`freezer_core.storage.search_index.TEXT_BATCH` of them, and
    search reads the not yet indexed ones one by one
    (``freezer_core.storage.search_sql``), so what a search
    finds does not change.

    Creates ``<stem>_texts_fts_mark`` (one row, ``indexed_upto``: every
    text whose ``id`` is at most this is in the FTS5 index, no other is),
    set to the texts' highest ``id`` (all of them are indexed when this
    runs), and replaces the three triggers of :data:`_SQLITE_IMMEDIATE`
    by those of :data:`_SQLITE_BATCHED`. Nothing is done on the other
    engines.

    :param stem: str, the resource's singular name, as for :func:`create`.
    :returns: None
    """
    if op.get_bind().dialect.name != 'sqlite':
        return
    names = _sqlite_names(stem)
    op.execute('CREATE TABLE {mark} (indexed_upto INTEGER NOT NULL)'
               .format(**names))
    op.execute('INSERT INTO {mark} (indexed_upto) '
               'SELECT coalesce(max(id), 0) FROM {texts}'.format(**names))
    for trigger in _SQLITE_TRIGGERS:
        op.execute('DROP TRIGGER {fts}_%s'.format(**names) % trigger)
    for statement in _SQLITE_BATCHED:
        op.execute(statement.format(**names))


def create(stem, documents, batched=True):
    """Create the search index of one resource.

    :param stem: str, the resource's singular name (``'job'``), as given
        to :func:`freezer_core.storage.models.search_index`.
    :param documents: str, the name of the resource's table (``'jobs'``;
        it must exist and have an ``id`` primary key).
    :param batched: bool; False only in migrations 0004-0007, which
        created the FTS5 index of their day (every text indexed in its
        own write) that migration 0009 then converts; a new resource
        gets :func:`batch_sqlite_texts` at once.
    :returns: None
    """
    pk = stem + '_pk'
    terms, texts = stem + '_terms', stem + '_texts'

    def document_pk():
        return sa.Column(pk, models.BigId,
                         sa.ForeignKey(documents + '.id', ondelete='CASCADE'),
                         nullable=False)

    def project():
        return sa.Column('project_id', models.ExactString(models.ID_LENGTH),
                         nullable=False)

    op.create_table(
        terms,
        sa.Column('id', models.BigId, primary_key=True, autoincrement=True),
        document_pk(), project(),
        sa.Column('name', models.ExactString(models.TERM_LENGTH),
                  nullable=False),
        sa.Column('value', models.ExactString(models.TERM_LENGTH),
                  nullable=False),
        **_TABLE_ARGS)
    op.create_index('ix_%s_lookup' % terms, terms,
                    ['project_id', 'name', 'value', pk])
    op.create_index('ix_%s_%s' % (terms, stem), terms, [pk])
    op.create_table(
        texts,
        sa.Column('id', models.BigId, primary_key=True, autoincrement=True),
        document_pk(), project(),
        sa.Column('text', models.SearchText, nullable=False),
        **_TABLE_ARGS)
    op.create_index('ix_%s_%s' % (texts, stem), texts, [pk])
    op.create_index('ix_%s_project' % texts, texts, ['project_id'])
    names = _sqlite_names(stem)
    dialect = op.get_bind().dialect.name
    statements = {'sqlite': (_SQLITE_FTS,) + _SQLITE_IMMEDIATE,
                  'postgresql': _POSTGRESQL_STATEMENTS}.get(dialect, ())
    for statement in statements:
        op.execute(statement.format(**names))
    if batched:
        batch_sqlite_texts(stem)
