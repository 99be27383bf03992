"""Compile a parsed search into indexed SQL conditions on ``actions``.

Each term of a :class:`freezer_core.search.Search` becomes a condition
answered from the index tables (``action_terms``, ``action_texts`` and the
engine's substring index, see migration 0002):

* in **scan** form, a correlated ``EXISTS`` / ``NOT EXISTS`` that costs one
  index seek per action visited; the actions are visited in the stable
  order through ``ix_actions_project_order`` and the scan stops once the
  page is full, so it suits terms that many actions hold;
* in **driver** form, ``actions.id IN (<the term's action ids>)``: the
  term's index entries are read first and only those actions fetched and
  sorted, so the cost follows the number of matches.

On PostgreSQL and MySQL the planner chooses between these using its
statistics. SQLite's planner has no per-value statistics, so on SQLite
:func:`conditions` probes how many actions the positive terms hold (an
index range count bounded by :data:`DRIVER_LIMIT`) and makes the most
selective one the driver when it holds fewer; the ``+`` before
``project_id`` then keeps SQLite from scanning the project's order index
instead.
"""

import sqlalchemy as sa

from freezer_core import jsondoc
from freezer_core.storage import models

_A = models.Action.__table__
_T = models.ActionTerm.__table__
_X = models.ActionText.__table__

#: Below this many matching actions a term drives the query (SQLite).
DRIVER_LIMIT = 1000
#: Free text shorter than this cannot use a trigram index.
TRIGRAM = 3

_KIND_PREFIX = {'key': 'k:', 'path': 'p:'}


def term_row(kind, name, value):
    """The ``(name, value)`` columns of an ``action_terms`` row.

    :param kind: ``'key'`` or ``'path'``.
    :param name: str, the key or dotted path.
    :param value: str, the canonical JSON of the value.
    :returns: ``(name, value)``, each bounded by
        :func:`freezer_core.jsondoc.index_key`.
    """
    return (jsondoc.index_key(_KIND_PREFIX[kind] + name),
            jsondoc.index_key(value))


def _like_pattern(text):
    escaped = (text.replace('\\', '\\\\').replace('%', '\\%')
               .replace('_', '\\_'))
    return '%' + escaped + '%'


def _fts_rowids(text):
    # A quoted FTS5 phrase over the trigram tokenizer matches exactly the
    # texts that hold it as a substring.
    phrase = '"%s"' % text.replace('"', '""')
    return (sa.select(sa.column('rowid'))
            .select_from(sa.table('action_texts_fts'))
            .where(sa.text('action_texts_fts MATCH :phrase')
                   .bindparams(phrase=phrase)))


def _exists(project_id, term):
    """The term as a correlated EXISTS on the current ``actions`` row."""
    if term.kind == 'text':
        return sa.exists().where(
            _X.c.action_pk == _A.c.id,
            _X.c.text.like(_like_pattern(term.value), escape='\\'))
    name, value = term_row(term.kind, term.name, term.value)
    return sa.exists().where(
        _T.c.project_id == project_id, _T.c.name == name,
        _T.c.value == value, _T.c.action_pk == _A.c.id)


def _driver_ids(backend, project_id, term):
    """The ids of the project's actions holding the term (a subquery)."""
    if term.kind == 'text':
        query = sa.select(_X.c.action_pk).where(
            _X.c.project_id == project_id)
        if backend == 'sqlite':
            return query.where(_X.c.id.in_(_fts_rowids(term.value)))
        # PostgreSQL answers this LIKE from its pg_trgm index.
        return query.where(_X.c.text.like(_like_pattern(term.value),
                                          escape='\\'))
    name, value = term_row(term.kind, term.name, term.value)
    return sa.select(_T.c.action_pk).where(
        _T.c.project_id == project_id, _T.c.name == name,
        _T.c.value == value)


def _can_drive(backend, term):
    return term.kind != 'text' or (backend != 'mysql'
                                   and len(term.value) >= TRIGRAM)


def _probe(connection, backend, project_id, term, limit):
    """How many actions hold the term, counted up to ``limit``."""
    bounded = _driver_ids(backend, project_id, term).limit(limit).subquery()
    return connection.execute(
        sa.select(sa.func.count()).select_from(bounded)).scalar()


def conditions(connection, backend, project_id, search,
               driver_limit=DRIVER_LIMIT):
    """Build the WHERE conditions of a list or search query.

    :param connection: the open SQLAlchemy Connection (for SQLite's probes).
    :param backend: the engine's backend name (``'sqlite'``,
        ``'postgresql'``, ``'mysql'``).
    :param project_id: str, the URL's project.
    :param search: :class:`freezer_core.search.Search`.
    :param driver_limit: int; on SQLite a positive term drives the query
        when fewer actions than this hold it (0: every term is scanned).
    :returns: list of SQLAlchemy boolean clauses on ``actions``, ANDed by
        the caller.
    """
    project = _A.c.project_id == project_id
    driver = None
    if backend == 'sqlite':
        candidates = [t for t in search.match if _can_drive(backend, t)]
        best = None
        for term in candidates:
            count = _probe(connection, backend, project_id, term,
                           driver_limit)
            if count < driver_limit and (best is None or count < best[0]):
                best = (count, term)
        if best is not None:
            driver = best[1]
            project = sa.literal_column('+actions.project_id',
                                        sa.String) == project_id
    else:
        driver = next((t for t in search.match
                       if _can_drive(backend, t)), None)
    clauses = [project]
    for term in search.match:
        if term is driver:
            clauses.append(_A.c.id.in_(_driver_ids(backend, project_id,
                                                   term)))
        else:
            clauses.append(_exists(project_id, term))
    for term in search.match_not:
        clauses.append(sa.not_(_exists(project_id, term)))
    return clauses
