"""Reading a reference freezer-api 19.0.0 database (its SQL driver).

The reference (PyPI ``freezer-api==19.0.0``, ``[storage] driver =
sqlalchemy``) keeps one table per resource, soft-deletes rows
(``deleted``, ``deleted_at``) and keeps ``created_at``/``updated_at``
(oslo.db's TimestampMixin, naive UTC). Facts used here, read in its
``freezer_api/db/sqlalchemy/models.py``, ``api.py`` and alembic chain
(head ``7a3b9c1d2e4f`` at 19.0.0):

* ``actions``: ``backup_metadata`` is the JSON of the ``freezer_action``
  sent; the columns ``action``, ``actionmode`` (``mode``),
  ``backup_name``, ``container``, ``path_to_backup``, ``timeout``,
  ``priority``, ``log_file`` are copies its GET lays over that JSON;
  ``max_retries``, ``max_retries_interval``, ``mandatory`` are columns
  (``mandatory`` holds ``freezer_action.mandatory``; a top-level one was
  never stored);
* ``jobs``: ``schedule`` (JSON of ``job_schedule``), ``client_id``,
  ``session_id``, ``session_tag``, ``description``; the ordered action
  references are ``job_actions`` rows (``job_id``, ``action_id``,
  ``position``), shown only when the action is alive and in the job's
  project; a trust is a ``user_credentials`` row;
* ``sessions``: ``schedule`` and ``job`` (the members map) as JSON, the
  run state as columns;
* ``clients``: the client info as columns, ``supported_*`` as JSON lists;
* ``backups``: ``status`` and ``backup_metadata`` (JSON).

:func:`read` turns the live rows into :class:`Candidate` documents as our
own validators accept them (:mod:`freezer_core.actions`,
:mod:`freezer_core.clients`, :mod:`freezer_core.sessions`,
:mod:`freezer_core.backups`), or into :class:`Refusal` s naming the rule
that refused them. Jobs are taken as stored (spec ``jobs.md``, "Writes":
a job imported from the reference may hold values refused today), with
only the checks that storing them needs. Writing them is
:mod:`freezer_core.storage.reference_writes`.
"""

import collections
import datetime
import json
import os
import re

import sqlalchemy as sa

from freezer_core import actions
from freezer_core import backups
from freezer_core import clients
from freezer_core import errors
from freezer_core import sessions
from freezer_core.schemas import backup as backup_schema
from freezer_core.storage import models

#: The reference's alembic head at 19.0.0 (``fix_user_id_column_length``).
REFERENCE_REVISION = '7a3b9c1d2e4f'
#: Every table read.
TABLES = ('actions', 'clients', 'jobs', 'job_actions', 'user_credentials',
          'sessions', 'backups')
#: Resources in the order they are written (a job needs its actions and
#: client rules first, a session its jobs).
RESOURCES = ('clients', 'actions', 'jobs', 'sessions', 'backups')
#: Action columns the reference's GET lays over ``backup_metadata``:
#: ``(freezer_action key, column)``.
ACTION_COLUMNS = (('action', 'action'), ('mode', 'actionmode'),
                  ('backup_name', 'backup_name'), ('container', 'container'),
                  ('path_to_backup', 'path_to_backup'),
                  ('timeout', 'timeout'), ('priority', 'priority'),
                  ('log_file', 'log_file'))
#: Ids our URLs can name (spec ``actions.md``: 1-64 of ``[A-Za-z0-9_-]``;
#: the same for jobs and sessions).
ID_PATTERN = re.compile(r'[A-Za-z0-9_-]{1,64}')

Candidate = collections.namedtuple('Candidate', [
    'identifier', 'project_id', 'user_id', 'document', 'created_at',
    'updated_at', 'notes'])
Candidate.__doc__ = """One reference document to write.

:param identifier: str, its id (``client_id`` for clients).
:param project_id: str, its owner project.
:param user_id: str, its creator.
:param document: dict, what the resource's repository stores (for jobs
    ``job_actions`` holds action ids, resolved when written).
:param created_at: naive UTC datetime, the reference's ``created_at``.
:param updated_at: naive UTC datetime (``created_at`` when never updated).
:param notes: list of str, what was changed on the way and why.
"""

Refusal = collections.namedtuple('Refusal', ['identifier', 'reason'])
Refusal.__doc__ = """A reference document our rules refuse (skipped).

:param identifier: str, its id.
:param reason: str, the rule that refused it.
"""


class SourceRefused(errors.FreezerError):
    """The source is not a reference freezer-api 19.0.0 database."""


def _connect(url):
    """An engine on the source, refused when it cannot be one."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise SourceRefused('--source is not a database URL: %s' % exc)
    # SQLite would create a missing file: refuse instead.
    if (parsed.get_backend_name() == 'sqlite'
            and not os.path.isfile(parsed.database or '')):
        raise SourceRefused('--source: no SQLite file %s' % parsed.database)
    try:
        return sa.create_engine(url)
    except Exception as exc:
        raise SourceRefused('--source cannot be opened: %s' % exc)


def _check_schema(connection):
    names = set(sa.inspect(connection).get_table_names())
    missing = sorted(set(TABLES + ('alembic_version',)) - names)
    if missing:
        raise SourceRefused(
            '--source is not a freezer-api 19.0.0 database: no table %s'
            % ', '.join(missing))
    revisions = connection.execute(
        sa.text('SELECT version_num FROM alembic_version')).scalars().all()
    if revisions != [REFERENCE_REVISION]:
        raise SourceRefused(
            '--source is at revision %s, not %s (freezer-api 19.0.0): '
            'upgrade it with freezer-api 19.0.0\'s "freezer-manage db '
            'sync" first' % (', '.join(revisions) or 'none',
                             REFERENCE_REVISION))


def _live_rows(connection, table, order=('created_at', 'id')):
    """The rows not soft-deleted, in a stable order."""
    deleted = table.c.deleted
    return connection.execute(
        sa.select(table).where(sa.or_(deleted.is_(None),
                                      deleted == sa.false()))
        .order_by(*[table.c[name] for name in order])).all()


def _json(text, what, default):
    """Decode a JSON column; ``default`` when NULL or empty."""
    if text in (None, ''):
        return default
    try:
        value = json.loads(text)
    except ValueError:
        raise errors.ValidationError('%s: not JSON in the reference' % what)
    return default if value in (None, '') else value


def _times(row):
    created = row.created_at or datetime.datetime(1970, 1, 1)
    return created, row.updated_at or created


def _owner(row):
    if not row.project_id:
        raise errors.ValidationError('project_id: none in the reference')
    if len(row.project_id) > models.ID_LENGTH or len(
            row.user_id or '') > models.ID_LENGTH:
        raise errors.ValidationError('project_id/user_id: longer than %d '
                                     'characters' % models.ID_LENGTH)
    return row.project_id, row.user_id or ''


def _check_id(identifier, what):
    if not isinstance(identifier, str) or not ID_PATTERN.fullmatch(
            identifier):
        raise errors.ValidationError(
            '%s: %r is not 1-64 of [A-Za-z0-9_-], so no URL of this '
            'service can name it (rule: pattern).' % (what, identifier))


def _candidate(row, identifier, document, notes=()):
    project_id, user_id = _owner(row)
    created, updated = _times(row)
    return Candidate(identifier, project_id, user_id, document, created,
                     updated, list(notes))


# --- one mapping per resource: a row -> a Candidate ---------------------

def _action(row, source):
    agent = _json(row.backup_metadata, 'backup_metadata', {})
    if not isinstance(agent, dict):
        raise errors.ValidationError('backup_metadata: not an object')
    for key, column in ACTION_COLUMNS:
        if row._mapping[column] is not None:
            agent[key] = row._mapping[column]
    body = {'action_id': row.id, 'freezer_action': agent,
            'mandatory': bool(row.mandatory)}
    for key in ('max_retries', 'max_retries_interval'):
        if row._mapping[key] is not None:
            body[key] = row._mapping[key]
    return _candidate(row, row.id, actions.validate_create(body))


def _client(row, source):
    info = {'client_id': row.client_id, 'hostname': row.hostname,
            'description': row.description, 'uuid': row.uuid,
            'is_central': bool(row.is_central)}
    info = {key: value for key, value in info.items() if value is not None}
    for name in ('actions', 'modes', 'storages', 'engines'):
        key = 'supported_' + name
        # As the reference shows them: a NULL column is an empty list.
        info[key] = _json(row._mapping[key], key, [])
    return _candidate(row, row.client_id, clients.parse_registration(info))


def _job(row, source):
    _check_id(row.id, 'job_id')
    job_schedule = _json(row.schedule, 'job_schedule', {})
    if not isinstance(job_schedule, dict):
        raise errors.ValidationError('job_schedule: not an object')
    status = job_schedule.get('status')
    if status is not None and not (isinstance(status, str)
                                   and len(status)
                                   <= models.JOB_STATUS_LENGTH):
        raise errors.ValidationError(
            'job_schedule.status: %r is not a string of at most %d '
            'characters, which this service indexes' % (
                status, models.JOB_STATUS_LENGTH))
    session_tag = 0 if row.session_tag is None else row.session_tag
    if not isinstance(session_tag, int) or session_tag < 0:
        raise errors.ValidationError('session_tag: not an integer >= 0')
    if not row.client_id or len(row.client_id) > models.CLIENT_ID_LENGTH:
        raise errors.ValidationError('client_id: empty or too long')
    credentials = source['credentials'].get(row.id)
    document = {
        'client_id': row.client_id, 'session_id': row.session_id or '',
        'description': row.description, 'job_schedule': job_schedule,
        'session_tag': session_tag,
        'user_credentials': credentials,
        'job_actions': source['references'].get(row.id, []),
    }
    return _candidate(row, row.id, document)


def _session(row, source):
    _check_id(row.id, 'session_id')
    body = {'description': row.description, 'hold_off': row.hold_off,
            'schedule': _json(row.schedule, 'schedule', {}),
            'session_tag': row.session_tag}
    body = {key: value for key, value in body.items()
            if value is not None or key == 'description'}
    document = sessions.validate_create(body).document
    notes = []
    members = _json(row.job, 'jobs', {})
    if not isinstance(members, dict) or not all(
            isinstance(entry, dict) for entry in members.values()):
        notes.append('jobs: %s is not a members map; imported as {}'
                     % type(members).__name__)
        members = {}
    document.update(jobs=members, status=row.status or 'active',
                    result=row.result)
    for key in ('time_start', 'time_end'):
        value = row._mapping[key]
        document[key] = value if isinstance(value, int) else -1
    return _candidate(row, row.id, document, notes)


def _backup(row, source):
    if not backups.is_backup_id(row.id):
        _check_id(row.id, 'backup_id')
    metadata = _json(row.backup_metadata, 'backup_metadata', None)
    if not isinstance(metadata, dict):
        raise errors.ValidationError('backup_metadata: not an object')
    notes = []
    dropped = sorted(set(metadata) & set(backup_schema.SERVER_FIELDS))
    if dropped:
        notes.append('backup_metadata: server field(s) %s dropped, as '
                     'this service drops them when sent'
                     % ', '.join(dropped))
    body = dict(metadata, status=row.status or backup_schema.DEFAULT_STATUS)
    status, metadata = backups.parse_create(body)
    return _candidate(row, row.id, {'status': status,
                                    'backup_metadata': metadata}, notes)


_MAPPINGS = {'actions': _action, 'clients': _client, 'jobs': _job,
             'sessions': _session, 'backups': _backup}


def _links(connection, tables):
    """The jobs' action ids in order and their trusts, by job id."""
    references = collections.defaultdict(list)
    for link in _live_rows(connection, tables['job_actions'],
                           order=('job_id', 'position', 'id')):
        references[link.job_id].append(link.action_id)
    credentials = {}
    for trust in _live_rows(connection, tables['user_credentials']):
        credentials[trust.job_id] = {'trust_id': trust.trust_id,
                                     'trustor_user_id':
                                         trust.trustor_user_id}
    return {'references': references, 'credentials': credentials}


def read(url):
    """Read every live document of a reference freezer-api database.

    :param url: str, the source's SQLAlchemy URL.
    :returns: dict resource name (:data:`RESOURCES`) -> list of
        :class:`Candidate` or :class:`Refusal`, in ``created_at, id``
        order.
    :raises SourceRefused: the URL cannot be opened, or the database is
        not a reference freezer-api 19.0.0 schema (a table missing, or
        its alembic revision is not :data:`REFERENCE_REVISION`).
    """
    engine = _connect(url)
    try:
        with engine.connect() as connection:
            _check_schema(connection)
            metadata = sa.MetaData()
            tables = {name: sa.Table(name, metadata,
                                     autoload_with=connection)
                      for name in TABLES}
            source = _links(connection, tables)
            found = {}
            for resource in RESOURCES:
                found[resource] = [
                    _mapped(resource, row, source)
                    for row in _live_rows(connection, tables[resource])]
            return found
    except sa.exc.DBAPIError as exc:
        # Unreachable, refused credentials, or a column missing: the
        # driver's own words, without the statement.
        raise SourceRefused('--source cannot be read: %s' % exc.orig)
    finally:
        engine.dispose()


def _mapped(resource, row, source):
    try:
        return _MAPPINGS[resource](row, source)
    except errors.ValidationError as exc:
        identifier = row.client_id if resource == 'clients' else row.id
        return Refusal(identifier, exc.description)
