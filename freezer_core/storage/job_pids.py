"""Search on a job's ``current_pid`` where the caller's GET hides it.

Spec ``actions.md``, "Rules every resource shares" (**Search sees the
caller's GET view**: a field the caller's GET hides cannot be matched)
and ``jobs.md``, "Listing": ``job_schedule.current_pid`` is left out of
the jobs whose client is another project's central client, unless the
caller passes ``jobs:get_all_projects``.

Why at query time and not in the index: whether a pid is hidden depends
on the caller (an admin sees it) and on the client's state when the list
is read, not when the job was written (a client can become central, or
be deleted, after its jobs were last written; GET decides with the
current state, :meth:`freezer_core.storage.jobs.JobRepository.
foreign_central_clients`). So the index keeps every pid and a hiding
list judges the terms that can see it (:func:`names_current_pid`) on the
hidden jobs as :func:`freezer_core.jobs.search_view` with
``hide_current_pid`` does: the ``job_schedule.current_pid`` path never
holds there, and the key ``current_pid`` holds only through another
path ending in ``.current_pid`` (an agent key of an embedded action).
Free text needs nothing: a pid is an integer, and free text holds only
strings. A list whose search names no pid, the scheduler's poll among
them, is not changed at all.

One limit: a path longer than the index column is stored as a digest
(:func:`freezer_core.jsondoc.index_key`), so an agent key
``current_pid`` deeper than about 120 characters of path is not seen
on a hidden job (the safe side: nothing is revealed).
"""

import sqlalchemy as sa

from freezer_core import search as search_mod
from freezer_core.storage import models
from freezer_core.storage import search_sql

#: The key and the dotted path of the pid in a job's search view.
PID_KEY = 'current_pid'
PID_PATH = 'job_schedule.current_pid'


def names_current_pid(term):
    """Whether a search term can see ``job_schedule.current_pid``.

    :param term: :class:`freezer_core.search.Term`.
    :returns: bool: the key ``current_pid`` (at any depth) or the path
        ``job_schedule.current_pid``.
    """
    return ((term.kind, term.name) in (('key', PID_KEY), ('path', PID_PATH)))


def _hidden(jobs, project_id):
    """Jobs of another project's central client (their pid is hidden)."""
    clients = models.Client.__table__
    return jobs.c.client_id.in_(
        sa.select(clients.c.client_id).where(
            clients.c.scope == models.CENTRAL_SCOPE,
            clients.c.project_id != project_id))


def _elsewhere(index, project_id, term):
    """The key ``current_pid`` held by another path than the schedule's."""
    terms = index.terms
    _name, value = search_sql.term_row('key', PID_KEY, term.value)
    path_name, _value = search_sql.term_row('path', PID_PATH, term.value)
    return sa.exists().where(
        terms.c.project_id == project_id,
        terms.c.name.like('p:%.current\\_pid', escape='\\'),
        terms.c.name != path_name, terms.c.value == value,
        index.term_pk == index.documents.c.id)


def _seen(index, project_id, term, hidden):
    """The term as the caller's view holds it."""
    visible = sa.and_(sa.not_(hidden),
                      search_sql.term_exists(index, project_id, term))
    if term.kind == 'path':
        return visible
    return sa.or_(visible, _elsewhere(index, project_id, term))


def hiding(index, project_id, search):
    """Split a jobs search for a caller who may not see central pids.

    :param index: the jobs' :class:`freezer_core.storage.models.
        SearchIndex` (``models.JOB_INDEX``).
    :param project_id: str, the URL's project.
    :param search: :class:`freezer_core.search.Search`.
    :returns: ``(search, filters)``: the search without the terms
        :func:`names_current_pid` picks, and a tuple of SQLAlchemy
        clauses on the jobs table judging those terms as the caller's
        view does (empty when the search names no pid); the list ANDs
        them with the rest.
    """
    pid_match = [t for t in search.match if names_current_pid(t)]
    pid_not = [t for t in search.match_not if names_current_pid(t)]
    if not (pid_match or pid_not):
        return search, ()
    hidden = _hidden(index.documents, project_id)
    filters = [_seen(index, project_id, t, hidden) for t in pid_match]
    filters.extend(sa.not_(_seen(index, project_id, t, hidden))
                   for t in pid_not)
    rest = search_mod.Search(
        tuple(t for t in search.match if not names_current_pid(t)),
        tuple(t for t in search.match_not if not names_current_pid(t)))
    return rest, tuple(filters)
