"""SQLAlchemy models of the Freezer API tables.

``actions`` holds one row per action; the agent document is kept as the
JSON text the client sent, so it round-trips key for key. Search is
answered from two index tables per resource (:func:`search_index`), kept
in the same transaction as the row:

* ``action_terms``: one row per (key or dotted path, canonical value) of
  :func:`freezer_core.search.index_entries`, indexed by project, name and
  value, so an equality term is an index lookup;
* ``action_texts``: one row per case-folded string value of
  :func:`freezer_core.search.text_values`, for ``_all`` free text.

Every engine compares ids, term names and values, and free text exactly
as Python compares ``str`` (code point by code point), so that the SQL
search answers what :func:`freezer_core.search.matches` answers and ids
are case-sensitive everywhere (spec: ``action_id`` is
``[A-Za-z0-9_-]``, ``abc`` and ``ABC`` are two actions). On MySQL this
needs care: its default collations ignore case, accents and trailing
spaces, so those columns are ``VARBINARY`` (:class:`ExactString`) and the
free text is ``utf8mb4_bin`` (migration 0003).
"""

import collections

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql

from freezer_core import action_schema

#: Longest project or user id stored (the domain's limit).
ID_LENGTH = action_schema.MAX_ID_LENGTH
#: Longest action id (spec: 1-64 characters).
ACTION_ID_LENGTH = 64
#: Longest term name or value stored; longer ones are digested
#: (:func:`freezer_core.jsondoc.index_key`).
TERM_LENGTH = 130

# Microsecond timestamps on every engine: MySQL's DATETIME drops the
# fraction unless asked, and the stable order relies on created_at.
Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')
# 64-bit surrogate keys; SQLite only autoincrements INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# MEDIUMTEXT on MySQL: its TEXT stops at 64 KiB.
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')
#: The free text searched with LIKE: on MySQL a binary collation, so that
#: the already case-folded texts are matched exactly (utf8mb4's default
#: collation would also ignore accents: "e" would find "é").
SearchText = sa.Text().with_variant(
    mysql.MEDIUMTEXT(charset='utf8mb4', collation='utf8mb4_bin'), 'mysql')
#: Bytes per character of utf8mb4 (MySQL's VARBINARY counts bytes).
UTF8MB4_BYTES = 4


class ExactString(sa.types.TypeDecorator):
    """A string compared and ordered code point by code point everywhere.

    * SQLite: ``VARCHAR`` (its BINARY collation is exact already);
    * PostgreSQL: ``VARCHAR COLLATE "C"``: equality is exact under any
      collation, but the stable order of lists (``created_at,
      action_id``) must not depend on the database's locale;
    * MySQL: ``VARBINARY`` holding the UTF-8 bytes. No MySQL or MariaDB
      text collation fits: the ``_ci`` ones ignore case and accents, and
      ``utf8mb4_bin`` pads, so ``'A'`` would equal ``'A '`` (a different
      project id); MariaDB's ``utf8mb4_nopad_bin`` is unknown to MySQL.
      Values are encoded on the way in and decoded on the way out, so
      callers always see ``str``.

    :param length: int, the longest value in characters.
    """

    impl = sa.String
    cache_ok = True

    def __init__(self, length):
        super().__init__(length)
        self.length = length

    def load_dialect_impl(self, dialect):
        """The engine's column type (see the class docstring)."""
        if dialect.name == 'mysql':
            return dialect.type_descriptor(
                mysql.VARBINARY(self.length * UTF8MB4_BYTES))
        if dialect.name == 'postgresql':
            return dialect.type_descriptor(
                postgresql.VARCHAR(self.length, collation='C'))
        return dialect.type_descriptor(sa.String(self.length))

    def bind_processor(self, dialect):
        """Encode on MySQL only: elsewhere the driver takes ``str`` as
        is, and no per-value call is made (a large document's write
        binds tens of thousands of index values)."""
        if dialect.name == 'mysql':
            return super().bind_processor(dialect)
        return None

    def result_processor(self, dialect, coltype):
        """Decode on MySQL only (see :meth:`bind_processor`)."""
        if dialect.name == 'mysql':
            return super().result_processor(dialect, coltype)
        return None

    def process_bind_param(self, value, dialect):
        """Encode to UTF-8 bytes for MySQL; other engines take ``str``."""
        if dialect.name == 'mysql' and isinstance(value, str):
            return value.encode('utf-8')
        return value

    def process_result_value(self, value, dialect):
        """Decode MySQL's bytes back to ``str``."""
        if dialect.name == 'mysql' and isinstance(value, bytes):
            return value.decode('utf-8')
        return value


class Base(orm.DeclarativeBase):
    """Declarative base of the Freezer API models."""


class Action(Base):
    """One stored action (spec ``actions.md``, "The action document")."""

    __tablename__ = 'actions'
    __table_args__ = (
        sa.UniqueConstraint('action_id', name='uniq_actions0action_id'),
        # The stable order of every list: project, created_at, action_id.
        sa.Index('ix_actions_project_order', 'project_id', 'created_at',
                 'action_id'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    action_id = sa.Column(ExactString(ACTION_ID_LENGTH), nullable=False)
    project_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    user_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    freezer_action = sa.Column(LongText, nullable=False)
    max_retries = sa.Column(sa.Integer, nullable=False)
    max_retries_interval = sa.Column(sa.Integer, nullable=False)
    mandatory = sa.Column(sa.Boolean, nullable=False)
    version = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


SearchIndex = collections.namedtuple(
    'SearchIndex', ['documents', 'terms', 'texts', 'term_pk', 'text_pk',
                    'fts', 'fts_mark', 'scope'])
SearchIndex.__doc__ = """The search index tables of one resource.

:param documents: the resource's :class:`sqlalchemy.Table` (its ``id``,
    ``project_id`` and ``created_at`` columns are used).
:param terms: the ``<stem>_terms`` table: one row per (key or dotted
    path, canonical value) pair, indexed by project, name and value.
:param texts: the ``<stem>_texts`` table: one row per case-folded string
    value, for ``_all`` free text.
:param term_pk: the terms' column holding the document's ``id``.
:param text_pk: the texts' column holding the document's ``id``.
:param fts: str, the name of the SQLite FTS5 table over ``texts``.
:param fts_mark: the SQLite table (a :func:`sqlalchemy.table`, created
    by the migrations, not the models) whose one row's ``indexed_upto``
    is the highest ``texts.id`` the FTS5 table is complete up to
    (migration 0009).
:param scope: the documents' column holding the visibility key that the
    index rows' ``project_id`` carries and lists filter on: the owner's
    ``project_id`` for most resources; ``clients.scope`` for clients
    (a central client is listed under a key every project reads).
"""


def search_index(documents, stem, metadata=None, scope='project_id'):
    """Declare the search index tables of a resource (a table factory).

    Each resource gets its own pair, ``<stem>_terms`` and
    ``<stem>_texts`` (and, through its migration, the engine's substring
    index over the texts, see
    :func:`freezer_core.storage.migrations.search_index.create`), so
    every resource is searched with the same indexed plans and no index
    grows with another resource's documents.

    :param documents: the resource's table (``actions``).
    :param stem: str, the singular name (``'action'``): the tables are
        ``action_terms``/``action_texts``, their document column
        ``action_pk``.
    :param metadata: the :class:`sqlalchemy.MetaData` to declare them in;
        the models' (:class:`Base`) by default.
    :param scope: str, the name of the documents' visibility column
        (:class:`SearchIndex`).
    :returns: :class:`SearchIndex`.
    """
    metadata = Base.metadata if metadata is None else metadata
    pk = stem + '_pk'

    def table(name, *columns_and_indexes):
        # Both tables: a surrogate key, the document's id (deleted with
        # it) and its project, then their own columns and indexes.
        return sa.Table(
            name, metadata,
            sa.Column('id', BigId, primary_key=True, autoincrement=True),
            sa.Column(pk, BigId, sa.ForeignKey(documents.c.id,
                                               ondelete='CASCADE'),
                      nullable=False),
            sa.Column('project_id', ExactString(ID_LENGTH), nullable=False),
            *columns_and_indexes,
            mysql_charset='utf8mb4', mysql_engine='InnoDB')

    terms = table(
        stem + '_terms',
        sa.Column('name', ExactString(TERM_LENGTH), nullable=False),
        sa.Column('value', ExactString(TERM_LENGTH), nullable=False),
        sa.Index('ix_%s_terms_lookup' % stem, 'project_id', 'name',
                 'value', pk),
        sa.Index('ix_%s_terms_%s' % (stem, stem), pk))
    texts = table(
        stem + '_texts',
        sa.Column('text', SearchText, nullable=False),
        sa.Index('ix_%s_texts_%s' % (stem, stem), pk),
        sa.Index('ix_%s_texts_project' % stem, 'project_id'))
    fts = stem + '_texts_fts'
    mark = sa.table(fts + '_mark', sa.column('indexed_upto', sa.BigInteger))
    return SearchIndex(documents, terms, texts, terms.c[pk], texts.c[pk],
                       fts, mark, documents.c[scope])


#: The search index of actions.
ACTION_INDEX = search_index(Action.__table__, 'action')


#: Longest job id (spec ``jobs.md``: 1-64 characters).
JOB_ID_LENGTH = 64
#: Longest ``client_id`` (spec ``clients.md``: at most 255 characters).
CLIENT_ID_LENGTH = 255
#: Longest ``job_schedule.status`` value (spec ``jobs.md``, job_schedule).
JOB_STATUS_LENGTH = 16

#: Longest client ``uuid`` (spec ``clients.md``: 1-64 characters).
CLIENT_UUID_LENGTH = 64
#: The visibility key (``clients.scope``) of a central client: no project
#: id is empty (a URL segment never is), and every project's list reads
#: this key as well as its own.
CENTRAL_SCOPE = ''


class Client(Base):
    """One registered client (spec ``clients.md``, "The client document").

    ``client`` is the JSON of the client part, key for key. ``scope`` is
    the visibility key: the owner's ``project_id``, or
    :data:`CENTRAL_SCOPE` for a central client; lists and search read
    their own project's key and the central key, each through the order
    index ``(scope, created_at, client_id)`` and the index tables (whose
    ``project_id`` column holds the scope). The unique constraints carry
    the identity rules: ``client_id`` once per project, a central
    ``client_id`` once in all projects (``(scope, client_id)``), ``uuid``
    once in all projects; the named form ``uniq_clients0<columns>`` lets
    oslo.db report which one a duplicate broke.
    """

    __tablename__ = 'clients'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'client_id',
                            name='uniq_clients0project_id0client_id'),
        sa.UniqueConstraint('scope', 'client_id',
                            name='uniq_clients0scope0client_id'),
        sa.UniqueConstraint('uuid', name='uniq_clients0uuid'),
        sa.Index('ix_clients_scope_order', 'scope', 'created_at',
                 'client_id'),
        # Registering as central looks at every project's holder of an id.
        sa.Index('ix_clients_client_id', 'client_id'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    client_id = sa.Column(ExactString(CLIENT_ID_LENGTH), nullable=False)
    project_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    scope = sa.Column(ExactString(ID_LENGTH), nullable=False)
    user_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    uuid = sa.Column(ExactString(CLIENT_UUID_LENGTH), nullable=False)
    is_central = sa.Column(sa.Boolean, nullable=False)
    client = sa.Column(LongText, nullable=False)
    version = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


#: The search index of clients, keyed by visibility (``clients.scope``).
CLIENT_INDEX = search_index(Client.__table__, 'client', scope='scope')


class ClientId(Base):
    """One row per ``client_id`` ever registered, in any project.

    Every registration locks its id's row first, so registrations of one
    id are serialised across projects even when no client holds it yet
    (the unique constraints alone cannot say "a central id has no other
    holder"). Rows are never deleted: one short key per id.
    """

    __tablename__ = 'client_ids'
    __table_args__ = ({'mysql_charset': 'utf8mb4',
                       'mysql_engine': 'InnoDB'},)

    client_id = sa.Column(ExactString(CLIENT_ID_LENGTH), primary_key=True)


class Job(Base):
    """One stored job (spec ``jobs.md``, "The job document").

    ``document`` is the JSON of ``description``, ``job_schedule``,
    ``session_tag`` and ``user_credentials``; ``client_id``,
    ``session_id`` and ``status`` (``job_schedule.status``, ``""`` when
    unset) are columns too, so that the scheduler's poll (``match
    client_id``, ``match_not status completed``) is answered from the
    indexes ``(project_id, client_id)`` and ``status``. The ordered
    action references are :class:`JobAction` rows.
    """

    __tablename__ = 'jobs'
    __table_args__ = (
        sa.UniqueConstraint('job_id', name='uniq_jobs0job_id'),
        sa.Index('ix_jobs_project_order', 'project_id', 'created_at',
                 'job_id'),
        sa.Index('ix_jobs_project_client', 'project_id', 'client_id'),
        sa.Index('ix_jobs_status', 'status'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    job_id = sa.Column(ExactString(JOB_ID_LENGTH), nullable=False)
    project_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    user_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    client_id = sa.Column(ExactString(CLIENT_ID_LENGTH), nullable=False)
    session_id = sa.Column(ExactString(JOB_ID_LENGTH), nullable=False)
    status = sa.Column(ExactString(JOB_STATUS_LENGTH), nullable=False)
    document = sa.Column(LongText, nullable=False)
    version = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


class JobAction(Base):
    """One entry of a job's ``job_actions``: a reference to an action.

    ``position`` keeps the order (0-based); an action may appear twice
    in one job. The rows go with their job (``ON DELETE CASCADE``, and
    deleted explicitly, since SQLite enforces no foreign keys here); an
    action's deletion removes its references
    (:mod:`freezer_core.storage.jobs`), found through ``action_pk``.
    """

    __tablename__ = 'job_actions'
    __table_args__ = (
        sa.Index('ix_job_actions_action', 'action_pk'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    job_pk = sa.Column(BigId, sa.ForeignKey('jobs.id', ondelete='CASCADE'),
                       primary_key=True)
    position = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    action_pk = sa.Column(BigId,
                          sa.ForeignKey('actions.id', ondelete='CASCADE'),
                          nullable=False)


#: The search index of jobs.
JOB_INDEX = search_index(Job.__table__, 'job')


#: Longest session id (spec ``sessions.md``: 1-64 characters).
SESSION_ID_LENGTH = 64


class Session(Base):
    """One stored session (spec ``sessions.md``, "The session document").

    ``document`` is the JSON of the client document (``description``,
    ``hold_off``, ``schedule``, ``session_tag``) and of the run state
    (``status``, ``result``, ``time_start``, ``time_end`` and the
    ``jobs`` map), written whole by every write; search goes through
    the session index tables, so no content column needs an index. A
    run protocol call locks the row (:mod:`freezer_core.storage.sessions`).
    """

    __tablename__ = 'sessions'
    __table_args__ = (
        sa.UniqueConstraint('session_id', name='uniq_sessions0session_id'),
        sa.Index('ix_sessions_project_order', 'project_id', 'created_at',
                 'session_id'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    session_id = sa.Column(ExactString(SESSION_ID_LENGTH), nullable=False)
    project_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    user_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    document = sa.Column(LongText, nullable=False)
    version = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


#: The search index of sessions.
SESSION_INDEX = search_index(Session.__table__, 'session')


#: Longest backup id (generated ids are 32 hex characters; the column
#: and the URL check allow ids of up to 64, as for actions).
BACKUP_ID_LENGTH = 64
#: Longest backup ``status`` (spec ``backups.md``: ``restoring`` is 9).
BACKUP_STATUS_LENGTH = 16
#: Longest backup ``job_id`` (spec ``backups.md``, "Validation (POST)").
BACKUP_JOB_ID_LENGTH = 255


class Backup(Base):
    """One stored backup record (spec ``backups.md``).

    ``backup_metadata`` is the metadata as the JSON text the agent sent,
    key for key. ``status``, ``job_id`` and ``time_stamp`` are columns
    too: ``time_stamp`` is ``backup_metadata.time_stamp`` when that is an
    integer (NULL otherwise), so that ``time_after``/``time_before`` are
    one range of ``(project_id, time_stamp)``; ``job_id`` links a record
    to its job, ``(project_id, job_id)`` finds a job's records.
    """

    __tablename__ = 'backups'
    __table_args__ = (
        sa.UniqueConstraint('backup_id', name='uniq_backups0backup_id'),
        sa.Index('ix_backups_project_order', 'project_id', 'created_at',
                 'backup_id'),
        sa.Index('ix_backups_project_time', 'project_id', 'time_stamp'),
        sa.Index('ix_backups_project_job', 'project_id', 'job_id'),
        {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'},
    )

    id = sa.Column(BigId, primary_key=True, autoincrement=True)
    backup_id = sa.Column(ExactString(BACKUP_ID_LENGTH), nullable=False)
    project_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    user_id = sa.Column(ExactString(ID_LENGTH), nullable=False)
    status = sa.Column(ExactString(BACKUP_STATUS_LENGTH), nullable=False)
    job_id = sa.Column(ExactString(BACKUP_JOB_ID_LENGTH), nullable=True)
    time_stamp = sa.Column(sa.BigInteger, nullable=True)
    backup_metadata = sa.Column(LongText, nullable=False)
    version = sa.Column(sa.Integer, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


#: The search index of backups.
BACKUP_INDEX = search_index(Backup.__table__, 'backup')
