"""A job's references to actions: the ordered ``job_actions`` link rows
(:class:`freezer_core.storage.models.JobAction`) and the watcher that keeps
jobs in step when an action changes in ``/actions`` (spec ``jobs.md``,
"Writes": deleting an action removes it from the jobs, changing it bumps
their ``_version``, since GET embeds it).
"""

import sqlalchemy as sa

from freezer_core.storage import models

_LINKS = models.JobAction.__table__


def link(connection, job_pk, action_pks):
    """Set a job's references, in order, in the caller's transaction.

    :param connection: the Connection of ``database.writer()``.
    :param job_pk: int, the job row's ``id``.
    :param action_pks: sequence of int, the actions' row ids in
        ``job_actions`` order (an action may appear twice); empty to
        remove every reference.
    :returns: None
    """
    connection.execute(_LINKS.delete().where(_LINKS.c.job_pk == job_pk))
    if action_pks:
        connection.execute(_LINKS.insert(), [
            {'job_pk': job_pk, 'position': position, 'action_pk': pk}
            for position, pk in enumerate(action_pks)])


class ActionWatcher(object):
    """Keeps the action copies of jobs in step with ``/actions``.

    Registered in the actions repository's ``watchers``; called inside
    the action's write transaction (spec ``jobs.md``, "Writes": deleting
    an action removes it from the jobs, changing it bumps their
    ``_version``).

    :param jobs: :class:`JobRepository`.
    """

    def __init__(self, jobs):
        self.jobs = jobs
        table = jobs.table
        # Built once (every action write runs it, issue 18).
        self._referrers_query = (
            sa.select(table).where(table.c.id.in_(
                sa.select(_LINKS.c.job_pk).where(
                    _LINKS.c.action_pk == sa.bindparam('action_pk'))
                .distinct()))
            .order_by(table.c.id).with_for_update())

    def _referrers(self, connection, action_pk):
        return connection.execute(self._referrers_query,
                                  {'action_pk': action_pk}).all()

    def changed(self, connection, action_pk, action):
        """An action was rewritten: refresh its copies.

        :param action_pk: int, the action row's ``id``.
        :param action: dict, the new action record.
        """
        for row in self._referrers(connection, action_pk):
            copies = [action if a['action_id'] == action['action_id'] else a
                      for a in self.jobs.record(row)['job_actions']]
            self.jobs.rewrite_job(connection, row, {'job_actions': copies})

    def deleted(self, connection, action_pk, action_id):
        """An action is being deleted: remove it from its jobs."""
        for row in self._referrers(connection, action_pk):
            pks = connection.execute(
                sa.select(_LINKS.c.action_pk)
                .where(_LINKS.c.job_pk == row.id)
                .order_by(_LINKS.c.position)).scalars().all()
            link(connection, row.id,
                 [pk for pk in pks if pk != action_pk])
            copies = [a for a in self.jobs.record(row)['job_actions']
                      if a['action_id'] != action_id]
            self.jobs.rewrite_job(connection, row, {'job_actions': copies})
