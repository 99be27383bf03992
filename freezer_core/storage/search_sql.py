"""Compile a parsed search into indexed SQL conditions: the read side of
the search index of any resource.

Each term of a :class:`freezer_core.search.Search` becomes a condition on
the resource's document table (``actions``) answered from its index
tables (:class:`freezer_core.storage.models.SearchIndex`: ``action_terms``,
``action_texts`` and the engine's substring index, see migration 0002);
the write side is :mod:`freezer_core.storage.search_index`:

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
#: Below this many matching actions a term drives the query (SQLite).
DRIVER_LIMIT = 1000
#: Free text shorter than this cannot use a trigram index.
TRIGRAM = 3

_KIND_PREFIX = {'key': 'k:', 'path': 'p:'}


def term_row(kind, name, value):
    """The ``(name, value)`` columns of a terms row (``action_terms``).

    :param kind: ``'key'`` or ``'path'``.
    :param name: str, the key or dotted path.
    :param value: str, the canonical JSON of the value.
    :returns: ``(name, value)``, each bounded by
        :func:`freezer_core.jsondoc.index_key`; one to one (a digest
        starts with ``#``, which no kept text does), so the write side
        compares entries before mapping them
        (:meth:`freezer_core.storage.search_index.IndexWriter.changes`).
    """
    return (jsondoc.index_key(_KIND_PREFIX[kind] + name),
            jsondoc.index_key(value))


def _like_pattern(text):
    escaped = (text.replace('\\', '\\\\').replace('%', '\\%')
               .replace('_', '\\_'))
    return '%' + escaped + '%'


def holds_text(column, text, backend):
    """Whether a texts column holds ``text`` as a substring, for a text
    of any length.

    SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB
    pattern too complex", ``SQLITE_MAX_LIKE_PATTERN_LENGTH``), so it
    gets ``instr``, which has no limit. The texts and the searched text
    are both case-folded (:func:`freezer_core.search.fold_text`), so
    LIKE's ASCII case blindness on SQLite was never used. PostgreSQL
    answers ``LIKE '%text%'`` from its pg_trgm index; MySQL has no
    substring index either way.

    :param column: the texts' ``text`` column (case-folded values).
    :param text: str, the case-folded free text of an ``_all`` term.
    :param backend: the engine's backend name (``'sqlite'``, ...).
    :returns: a SQLAlchemy boolean clause.
    """
    if backend == 'sqlite':
        return sa.func.instr(column, text) > 0
    return column.like(_like_pattern(text), escape='\\')


def _fts_rowids(index, text):
    # A quoted FTS5 phrase over the trigram tokenizer matches exactly the
    # texts that hold it as a substring.
    phrase = '"%s"' % text.replace('"', '""')
    return (sa.select(sa.column('rowid'))
            .select_from(sa.table(index.fts))
            .where(sa.text('%s MATCH :phrase' % index.fts)
                   .bindparams(phrase=phrase)))


def term_exists(index, project_id, term):
    """A key or path term as a correlated EXISTS on the current document
    row (free text: :func:`_text_exists`).

    :param index: the resource's
        :class:`freezer_core.storage.models.SearchIndex`.
    :param project_id: str, the visibility key read.
    :param term: :class:`freezer_core.search.Term` of kind ``'key'`` or
        ``'path'``.
    :returns: a SQLAlchemy boolean clause on ``index.documents``.
    """
    documents, terms = index.documents, index.terms
    name, value = term_row(term.kind, term.name, term.value)
    return sa.exists().where(
        terms.c.project_id == project_id, terms.c.name == name,
        terms.c.value == value, index.term_pk == documents.c.id)


def _text_exists(index, backend, term):
    """A free-text term as a correlated EXISTS on the current document
    row: one of its texts holds the term's text."""
    return sa.exists().where(
        index.text_pk == index.documents.c.id,
        holds_text(index.texts.c.text, term.value, backend))


def _exists(index, backend, project_id, term):
    if term.kind == 'text':
        return _text_exists(index, backend, term)
    return term_exists(index, project_id, term)


def _driver_ids(index, backend, project_id, term):
    """The ids of the project's documents holding the term (a subquery)."""
    terms, texts = index.terms, index.texts
    if term.kind == 'text':
        query = sa.select(index.text_pk).where(
            texts.c.project_id == project_id)
        if backend == 'sqlite':
            # The FTS5 table holds the texts up to the mark (migration
            # 0009); the few written since the last batch are read one by
            # one (holds_text), from the same snapshot.
            upto = sa.select(index.fts_mark.c.indexed_upto).scalar_subquery()
            return sa.union_all(
                query.where(texts.c.id.in_(_fts_rowids(index, term.value))),
                query.where(texts.c.id > upto,
                            holds_text(texts.c.text, term.value, backend)))
        return query.where(holds_text(texts.c.text, term.value, backend))
    name, value = term_row(term.kind, term.name, term.value)
    return sa.select(index.term_pk).where(
        terms.c.project_id == project_id, terms.c.name == name,
        terms.c.value == value)


def _can_drive(backend, term):
    return term.kind != 'text' or (backend != 'mysql'
                                   and len(term.value) >= TRIGRAM)


def _probe(connection, index, backend, project_id, term, limit):
    """How many documents hold the term, counted up to ``limit``."""
    bounded = _driver_ids(index, backend, project_id,
                          term).limit(limit).subquery()
    return connection.execute(
        sa.select(sa.func.count()).select_from(bounded)).scalar()


def conditions(connection, index, backend, project_id, search,
               driver_limit=DRIVER_LIMIT):
    """Build the WHERE conditions of a list or search query.

    :param connection: the open SQLAlchemy Connection (for SQLite's probes).
    :param index: the resource's
        :class:`freezer_core.storage.models.SearchIndex`.
    :param backend: the engine's backend name (``'sqlite'``,
        ``'postgresql'``, ``'mysql'``).
    :param project_id: str, the visibility key read: the URL's project
        for most resources (``index.scope`` is then ``project_id``), or
        another key of :meth:`freezer_core.storage.repository.Repository.
        scopes` (central clients).
    :param search: :class:`freezer_core.search.Search`.
    :param driver_limit: int; on SQLite a positive term drives the query
        when fewer documents than this hold it (0: every term is scanned).
    :returns: list of SQLAlchemy boolean clauses on ``index.documents``,
        ANDed by the caller.
    """
    documents = index.documents
    project = index.scope == project_id
    driver = None
    if backend == 'sqlite':
        candidates = [t for t in search.match if _can_drive(backend, t)]
        best = None
        for term in candidates:
            count = _probe(connection, index, backend, project_id, term,
                           driver_limit)
            if count < driver_limit and (best is None or count < best[0]):
                best = (count, term)
        if best is not None:
            driver = best[1]
            project = sa.literal_column(
                '+%s.%s' % (documents.name, index.scope.name),
                sa.String) == project_id
    else:
        driver = next((t for t in search.match
                       if _can_drive(backend, t)), None)
    clauses = [project]
    for term in search.match:
        if term is driver:
            clauses.append(documents.c.id.in_(
                _driver_ids(index, backend, project_id, term)))
        else:
            clauses.append(_exists(index, backend, project_id, term))
    for term in search.match_not:
        clauses.append(sa.not_(_exists(index, backend, project_id, term)))
    return clauses
