"""Storage of freezer_core: SQLAlchemy models, alembic migrations and the
queries. This is the only part of freezer_core that imports SQLAlchemy and
oslo.db.
"""

from freezer_core import limits
from freezer_core.storage import actions
from freezer_core.storage import clients
from freezer_core.storage import backups
from freezer_core.storage import job_links
from freezer_core.storage import jobs
from freezer_core.storage import sessions


class Repositories(object):
    """The repository of every resource, on one shared database.

    One attribute per resource, named for its collection; a new resource
    adds one line here.

    :param database: :class:`freezer_core.storage.database.Database`.
    :param max_document_terms: int, most search index entries of one
        document of any resource (``[api] max_document_terms``); see
        :data:`freezer_core.limits.MAX_DOCUMENT_TERMS`.
    """

    def __init__(self, database,
                 max_document_terms=limits.MAX_DOCUMENT_TERMS):
        self.database = database
        options = {'max_document_terms': max_document_terms}
        self.actions = actions.ActionRepository(database, **options)
        self.clients = clients.ClientRepository(database, **options)
        self.backups = backups.BackupRepository(database, **options)
        self.jobs = jobs.JobRepository(database, self.actions, self.clients,
                                       **options)
        self.actions.watchers.append(job_links.ActionWatcher(self.jobs))
        self.sessions = sessions.SessionRepository(database, self.jobs,
                                                   **options)
        self.jobs.sessions = self.sessions
