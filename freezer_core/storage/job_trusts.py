"""Which Keystone trust a deleted job leaves unused.

A job of a central client runs under a trust (spec ``jobs.md``, "Trusts
(central clients)"); jobs of one trustor and project share it, because an
unexpired trust of the same trio is reused. Deleting a job deletes its
trust "when no other job uses it" (spec, "Writes", DELETE). This module
answers that question inside the delete's transaction; the Keystone call
is the API's, after the commit, and never fails the delete.
"""

import json

import sqlalchemy as sa


def trust_id(record):
    """The trust a job record runs under.

    :param record: dict, a job record (its ``user_credentials`` may be
        absent, or not a dict in data imported from the reference).
    :returns: str or None.
    """
    credentials = record.get('user_credentials')
    if isinstance(credentials, dict):
        value = credentials.get('trust_id')
        if isinstance(value, str) and value:
            return value
    return None


def unused_trust(connection, table, project_id, record):
    """The trust of a job just deleted, if no job left names it.

    Trusts are per trustor and project, so only the project's jobs are
    read, and only those whose stored document contains the id (``LIKE``,
    escaped); each candidate's ``user_credentials`` is then compared
    exactly.

    :param connection: the delete's write Connection (the job's row is
        already deleted in it).
    :param table: the jobs :class:`sqlalchemy.Table`.
    :param project_id: str, the deleted job's project.
    :param record: dict, the deleted job's record.
    :returns: str, the trust id no remaining job uses, or None (the job
        had no trust, or another job still runs under it).
    """
    wanted = trust_id(record)
    if wanted is None:
        return None
    candidates = connection.execute(
        sa.select(table.c.document).where(
            table.c.project_id == project_id,
            table.c.document.contains(wanted, autoescape=True)))
    for (document,) in candidates:
        if trust_id(json.loads(document)) == wanted:
            return None
    return wanted
