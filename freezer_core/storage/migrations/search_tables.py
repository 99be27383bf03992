"""Create a resource's search index tables in a migration.

A new resource's migration calls :func:`create` once, after creating its
document table: it creates the tables that
:func:`freezer_core.storage.models.search_index` declares
(``<stem>_terms``, ``<stem>_texts`` and their indexes) and the engine's
substring index over the texts, the same structures migrations 0001-0003
gave ``actions``:

* SQLite: an FTS5 table ``<stem>_texts_fts`` with the trigram tokenizer
  (external content, kept in step by triggers in the writer's
  transaction), ``case_sensitive 1`` because the texts are already folded;
* PostgreSQL: a pg_trgm GIN index ``ix_<stem>_texts_trgm``;
* MySQL: none (free text stays a LIKE over the project's texts).

Only for use inside an alembic migration (it uses ``alembic.op``).
"""

from alembic import op
import sqlalchemy as sa

from freezer_core.storage import models

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}

_SQLITE_STATEMENTS = (
    "CREATE VIRTUAL TABLE {fts} USING fts5("
    "text, content='{texts}', content_rowid='id', "
    "tokenize='trigram case_sensitive 1')",
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

_POSTGRESQL_STATEMENTS = (
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    'CREATE INDEX ix_{texts}_trgm ON {texts} USING gin (text gin_trgm_ops)',
)


def create(stem, documents):
    """Create the search index of one resource.

    :param stem: str, the resource's singular name (``'job'``), as given
        to :func:`freezer_core.storage.models.search_index`.
    :param documents: str, the name of the resource's table (``'jobs'``;
        it must exist and have an ``id`` primary key).
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
    names = {'texts': texts, 'fts': texts + '_fts'}
    dialect = op.get_bind().dialect.name
    statements = {'sqlite': _SQLITE_STATEMENTS,
                  'postgresql': _POSTGRESQL_STATEMENTS}.get(dialect, ())
    for statement in statements:
        op.execute(statement.format(**names))
