"""Storage of freezer_core: SQLAlchemy models, alembic migrations and the
queries. This is the only part of freezer_core that imports SQLAlchemy and
oslo.db.
"""

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
    """

    def __init__(self, database):
        self.database = database
        self.actions = actions.ActionRepository(database)
        self.clients = clients.ClientRepository(database)
        self.backups = backups.BackupRepository(database)
        self.jobs = jobs.JobRepository(database, self.actions, self.clients)
        self.actions.watchers.append(job_links.ActionWatcher(self.jobs))
        self.sessions = sessions.SessionRepository(database, self.jobs)
        self.jobs.sessions = self.sessions
