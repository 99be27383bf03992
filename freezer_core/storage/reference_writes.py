"""Writing the documents of a reference freezer-api database into ours.

:func:`import_reference` takes what
:func:`freezer_core.storage.reference_import.read` found and writes it
through each resource's repository (the same rows and search index
entries a create writes), keeping ids, ``project_id``, ``user_id`` and
the reference's ``created_at``/``updated_at``; ``_version`` starts at 1
(the reference has no versions).

* **Idempotent**: an id already present (in any project; for clients,
  the same ``client_id`` in the same project) is skipped with the reason
  ``already present``, so a second run writes nothing.
* **One transaction per batch** of at most :data:`BATCH` documents of one
  resource, retried as a whole on deadlocks
  (:func:`freezer_core.storage.database.retry`).
* **References kept consistent**: a job's action references are
  resolved in its project (the reference showed no other); a job's
  ``session_id`` naming no session of its project is cleared; a
  session's members map keeps only jobs of its project. Each such change
  is a note on the document.

The repositories' row helpers (``_prepare_new``, ``_insert``, ``_index``,
``_select_row``) and :func:`freezer_core.storage.job_links.link` are used
as :mod:`freezer_core.storage.jobs` uses the actions' ones: the import is
storage code writing rows the way the repositories do.
"""

import sqlalchemy as sa

from freezer_core.storage import database
from freezer_core.storage import job_links
from freezer_core.storage import reference_import

#: Documents written per transaction.
BATCH = 500
ALREADY_PRESENT = 'already present'


class Outcome(object):
    """What happened to one resource's documents.

    :ivar imported: list of str, the ids written.
    :ivar skipped: list of ``(id, reason)``.
    :ivar notes: list of ``(id, note)``: changes made to imported ones.
    """

    def __init__(self):
        self.imported = []
        self.skipped = []
        self.notes = []


class _Importer(object):
    """Writes one source's candidates, resource by resource."""

    def __init__(self, repositories, found):
        self.repositories = repositories
        self.found = found
        self.outcomes = {name: Outcome()
                         for name in reference_import.RESOURCES}

    # --- common steps --------------------------------------------------

    def _present(self, repo, identifiers, column=None):
        """``{id: project_id}`` of the ids already stored."""
        column = repo._id if column is None else column
        present = {}
        identifiers = list(identifiers)
        with repo.database.reader() as connection:
            for start in range(0, len(identifiers), BATCH):
                chunk = identifiers[start:start + BATCH]
                present.update(connection.execute(
                    sa.select(column, repo.table.c.project_id)
                    .where(column.in_(chunk))).all())
        return present

    def _candidates(self, name):
        """The candidates of a resource; refusals become skips."""
        outcome = self.outcomes[name]
        candidates = []
        for item in self.found[name]:
            if isinstance(item, reference_import.Refusal):
                outcome.skipped.append((item.identifier, item.reason))
            else:
                candidates.append(item)
        return candidates

    def _write(self, name, repo, candidates, prepare=None, after=None):
        """Write candidates in batches.

        ``prepare(connection, candidate, notes)`` returns the document to
        store (appending to ``notes`` what it changed); ``after(
        connection, pk, document)`` writes what goes with the row.
        """
        outcome = self.outcomes[name]
        for start in range(0, len(candidates), BATCH):
            batch = candidates[start:start + BATCH]
            found = self._write_batch(repo, batch, prepare, after)
            for candidate in batch:
                outcome.imported.append(candidate.identifier)
                outcome.notes.extend(
                    (candidate.identifier, note)
                    for note in candidate.notes + found[candidate.identifier])

    @database.retry
    def _write_batch(self, repo, batch, prepare, after):
        """One transaction; returns ``{id: notes}`` of ``prepare``."""
        found = {}
        with repo.database.writer() as connection:
            for candidate in batch:
                notes = found[candidate.identifier] = []
                document = candidate.document
                if prepare is not None:
                    document = prepare(connection, candidate, notes)
                values, _, rows = repo._prepare_new(
                    candidate.project_id, candidate.user_id,
                    candidate.identifier, document,
                    now=candidate.created_at)
                values['updated_at'] = candidate.updated_at
                pk = connection.execute(
                    repo._insert, values).inserted_primary_key[0]
                repo._index.insert(connection, [(pk, rows)])
                if after is not None:
                    after(connection, pk, document)
        return found

    def _fresh(self, name, repo, candidates):
        """The candidates whose id is not stored yet."""
        present = self._present(repo, [c.identifier for c in candidates])
        fresh = []
        for candidate in candidates:
            if candidate.identifier in present:
                self.outcomes[name].skipped.append(
                    (candidate.identifier, ALREADY_PRESENT))
            else:
                fresh.append(candidate)
        return fresh

    # --- resources -----------------------------------------------------

    def clients(self):
        repo = self.repositories.clients
        candidates = self._candidates('clients')
        table = repo.table
        with repo.database.reader() as connection:
            held = connection.execute(sa.select(
                table.c.client_id, table.c.project_id, table.c.is_central,
                table.c.uuid).where(table.c.client_id.in_(
                    [c.identifier for c in candidates]))).all()
            uuids = set(connection.execute(sa.select(table.c.uuid).where(
                table.c.uuid.in_([c.document['uuid']
                                  for c in candidates]))).scalars())
        holders = {}
        for client_id, project_id, central, _ in held:
            holders.setdefault(client_id, []).append((project_id, central))
        fresh = []
        for candidate in candidates:
            reason = _client_conflict(candidate, holders, uuids)
            if reason is not None:
                self.outcomes['clients'].skipped.append(
                    (candidate.identifier, reason))
                continue
            holders.setdefault(candidate.identifier, []).append(
                (candidate.project_id, candidate.document['is_central']))
            uuids.add(candidate.document['uuid'])
            fresh.append(candidate)
        self._write('clients', repo, fresh)

    def actions(self):
        repo = self.repositories.actions
        self._write('actions', repo,
                    self._fresh('actions', repo,
                                self._candidates('actions')))

    def jobs(self, sessions):
        """Write the jobs; ``sessions`` is ``{session_id: project_id}``
        of the sessions that will exist."""
        repo = self.repositories.jobs
        actions = self.repositories.actions

        def prepare(connection, candidate, notes):
            document = dict(candidate.document)
            session_id = document['session_id']
            if session_id and sessions.get(session_id) != \
                    candidate.project_id:
                notes.append('session_id: session %s is not imported; '
                             'the job is in no session' % session_id)
                document['session_id'] = ''
            records, pks = [], []
            for action_id in document['job_actions']:
                row = actions._select_row(connection, candidate.project_id,
                                          action_id)
                if row is None:
                    notes.append('job_actions: action %s is not an action '
                                 'of the project (the reference did not '
                                 'show it either); left out' % action_id)
                    continue
                records.append(actions.record(row))
                pks.append(row.id)
            document['job_actions'] = records
            # Not a stored key (the repository stores _DOCUMENT_KEYS
            # only): the link rows written by after().
            document['_pks'] = pks
            return document

        def after(connection, pk, document):
            job_links.link(connection, pk, document['_pks'])

        self._write('jobs', repo,
                    self._fresh('jobs', repo, self._candidates('jobs')),
                    prepare, after)

    def sessions(self, fresh):
        repo = self.repositories.sessions
        jobs = self.repositories.jobs.table

        def prepare(connection, candidate, notes):
            document = dict(candidate.document)
            members = document['jobs']
            kept = set(connection.execute(sa.select(jobs.c.job_id).where(
                jobs.c.project_id == candidate.project_id,
                jobs.c.job_id.in_(list(members)))).scalars())
            for job_id in sorted(set(members) - kept):
                notes.append('jobs: member %s is not a job of the project; '
                             'left out' % job_id)
            document['jobs'] = {job_id: entry
                                for job_id, entry in members.items()
                                if job_id in kept}
            return document

        self._write('sessions', repo, fresh, prepare)

    def backups(self):
        repo = self.repositories.backups
        self._write('backups', repo,
                    self._fresh('backups', repo,
                                self._candidates('backups')))

    def run(self):
        self.clients()
        self.actions()
        # A job keeps its session_id when the session is imported now or
        # was before, in the same project.
        repo = self.repositories.sessions
        sessions = self._fresh('sessions', repo,
                               self._candidates('sessions'))
        targets = {c.identifier: c.project_id for c in sessions}
        targets.update(self._present(
            repo, [c.identifier for c in self.found['sessions']]))
        self.jobs(targets)
        self.sessions(sessions)
        self.backups()
        return self.outcomes


def _client_conflict(candidate, holders, uuids):
    """Why a client cannot be registered as it was, or None (spec
    ``clients.md``, "Identity and uniqueness")."""
    mine = candidate.project_id
    central = candidate.document['is_central']
    for project_id, held_central in holders.get(candidate.identifier, ()):
        if project_id == mine:
            return ALREADY_PRESENT
        if central or held_central:
            return ('client_id: a central client id is unique across '
                    'projects, and project %s holds it' % project_id)
    if candidate.document['uuid'] in uuids:
        return 'uuid: %s is already taken (rule: unique)' % (
            candidate.document['uuid'])
    return None


def import_reference(url, repositories):
    """Import a reference freezer-api 19.0.0 database into ours.

    :param url: str, the source's SQLAlchemy URL.
    :param repositories: :class:`freezer_core.storage.Repositories` on
        the target database (at the newest schema).
    :returns: dict resource name -> :class:`Outcome`, in
        :data:`freezer_core.storage.reference_import.RESOURCES` order.
    :raises reference_import.SourceRefused: the source is not such a
        database; nothing is written.
    :raises errors.StorageUnavailable: the target stayed unreachable or
        locked; batches already committed stay (a new run skips them).
    """
    found = reference_import.read(url)
    return _Importer(repositories, found).run()
