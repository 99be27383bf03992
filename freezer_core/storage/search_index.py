"""Keep a resource's search index in step with its documents: the write
side of search (the read side is :mod:`freezer_core.storage.search_sql`).

A document's index entries are computed from its search view in one
pass (:func:`freezer_core.search.view_index`) and written to the
resource's :class:`freezer_core.storage.models.SearchIndex` tables in the
same transaction as the document, so a reader never sees one without the
other. A rewrite writes only the entries that changed, so its statements
follow the size of the change, not of the document; the CPU to compute
the entries follows the document's size, which the request body limit
bounds, and ``[api] max_document_terms`` can bound further
(:data:`freezer_core.limits.MAX_DOCUMENT_TERMS`).
"""

import sqlalchemy as sa

from freezer_core import documents
from freezer_core import limits
from freezer_core import search
from freezer_core.storage import search_sql

#: How many texts a resource's SQLite FTS5 table may lag behind before a
#: write indexes them (:meth:`IndexWriter.catch_up`). FTS5 writes a new
#: index segment, and merges older ones, on every transaction that
#: changes it; indexing each create's dozen texts in its own transaction
#: was about a third of the create's statement time at a million actions
#: (issue 18). Search reads the texts not yet indexed one by one
#: (:func:`freezer_core.storage.search_sql.holds_text`), so this also
#: bounds that scan.
TEXT_BATCH = 512


class IndexWriter(object):
    """Writes the index entries of one resource.

    :param index: :class:`freezer_core.storage.models.SearchIndex`.
    :param search_view: callable record (dict) -> the dict that search
        looks at (e.g. :func:`freezer_core.actions.search_view`).
    :param noun: str, the resource in messages (``'Action'``).
    :param max_terms: int, most index entries (terms and texts together)
        of one document (``[api] max_document_terms``); a document with
        more is refused before anything is written.
    :param text_batch: int >= 1, :data:`TEXT_BATCH` (tests make it
        small to see both sides of the mark).
    """

    def __init__(self, index, search_view, noun='Document',
                 max_terms=limits.MAX_DOCUMENT_TERMS,
                 text_batch=TEXT_BATCH):
        self.index = index
        self.search_view = search_view
        self.noun = noun
        self.max_terms = max_terms
        self.text_batch = text_batch
        terms, texts = index.terms, index.texts
        term_pk, text_pk = index.term_pk.name, index.text_pk.name
        self._term_pk = term_pk
        self._text_pk = text_pk
        # Built once: SQLAlchemy computes per statement object work that a
        # new object per request repeats.
        self._insert_term = terms.insert()
        self._insert_text = texts.insert()
        self._delete_term = terms.delete().where(
            terms.c.project_id == sa.bindparam('t_project'),
            terms.c.name == sa.bindparam('t_name'),
            terms.c.value == sa.bindparam('t_value'),
            index.term_pk == sa.bindparam('t_pk'))
        self._delete_text = texts.delete().where(
            index.text_pk == sa.bindparam('x_pk'),
            texts.c.text == sa.bindparam('x_text'))
        mark = index.fts_mark
        self._backlog = sa.select(
            sa.func.max(texts.c.id),
            sa.select(mark.c.indexed_upto).scalar_subquery())
        self._index_texts = sa.text(
            'INSERT INTO {fts}(rowid, text) SELECT id, text FROM {texts} '
            'WHERE id > :upto AND id <= :top'.format(
                fts=index.fts, texts=texts.name))
        self._move_mark = mark.update().values(
            indexed_upto=sa.bindparam('top'))

    def entries(self, record, limited=True):
        """The index entries of a record.

        :param record: dict, a domain record.
        :param limited: bool; False for a stored version, which is read,
            not written (a write that shrinks a document an operator's
            new limit finds too large is allowed).
        :returns: ``(entries, texts)`` of
            :func:`freezer_core.search.view_index`: a set of ``(kind,
            name, canonical value)`` and a set of folded str.
        :raises errors.ValidationError: more than ``max_terms`` entries
            (rule ``maxTerms``, limit ``max_document_terms``); every
            write computes the entries of the new version here, so
            create, replace, PATCH and the writes one resource makes in
            another (a job's actions) all meet the limit.
        """
        entries, texts = search.view_index(self.search_view(record))
        count = len(entries) + len(texts)
        if limited and count > self.max_terms:
            raise documents.error(
                None, 'The %s document has %d search terms (keys and '
                'string values at any depth), more than the %d allowed' % (
                    self.noun.lower(), count, self.max_terms),
                'maxTerms', show_path=False, limit='max_document_terms')
        return entries, texts

    @staticmethod
    def _term_rows(entries):
        """The sorted ``(name, value)`` columns of index entries
        (:func:`search_sql.term_row`, one to one)."""
        return sorted(search_sql.term_row(kind, name, value)
                      for kind, name, value in entries)

    def rows(self, project_id, record):
        """The index rows of a new document, without its pk.

        Computed before the write lock is taken; :meth:`insert` adds the
        pk.

        :param project_id: str, the visibility key the rows are written
            under.
        :param record: dict, the domain record.
        :returns: ``(project_id, term pairs, texts)``: the key, a sorted
            list of ``(name, value)`` and a sorted list of str; opaque to
            callers, which hand it to :meth:`insert`.
        :raises errors.ValidationError: as :meth:`entries`.
        """
        entries, texts = self.entries(record)
        return project_id, self._term_rows(entries), sorted(texts)

    def insert(self, connection, rows_by_pk):
        """Insert the rows of :meth:`rows` for new documents, one
        executemany statement per table.

        :param connection: the open write Connection.
        :param rows_by_pk: iterable of ``(pk, rows)``, ``rows`` from
            :meth:`rows`.
        """
        term_pk, text_pk = self._term_pk, self._text_pk
        terms, texts = [], []
        for pk, (project_id, term_pairs, text_values) in rows_by_pk:
            terms.extend({'project_id': project_id, 'name': name,
                          'value': value, term_pk: pk}
                         for name, value in term_pairs)
            texts.extend({'project_id': project_id, 'text': text,
                          text_pk: pk} for text in text_values)
        if terms:
            connection.execute(self._insert_term, terms)
        if texts:
            connection.execute(self._insert_text, texts)
            self.catch_up(connection)

    def catch_up(self, connection, at_least=None):
        """Index the texts written since the last batch, once there are
        enough of them (SQLite; nothing on the other engines).

        Runs in the caller's write transaction: the texts and the mark
        move together, so a reader sees every text either in the FTS5
        table or above the mark (migration 0009 keeps the table and the
        mark in step for deletes).

        :param connection: the open write Connection.
        :param at_least: int; index only when at least this many text
            ids lie above the mark (default :attr:`text_batch`); 1
            indexes whatever is there.
        :returns: int, the number of ids the mark moved (0: none).
        """
        if connection.dialect.name != 'sqlite':
            return 0
        top, upto = connection.execute(self._backlog).one()
        if top is None or top - upto < (at_least or self.text_batch):
            return 0
        connection.execute(self._index_texts, {'upto': upto, 'top': top})
        connection.execute(self._move_mark, {'top': top})
        return top - upto

    def changes(self, pk, project_id, record, old):
        """The statements' parameters that take a document's entries from
        one version to the next; computed without a connection, so a
        writer can do it before it takes the write lock. Only the entries
        that differ are written, so a PATCH of one key deletes and
        inserts a few rows, not all of a large document's (issue 20).

        :param pk: the document's ``id``.
        :param project_id: str, the document's project.
        :param record: dict, the record after the write.
        :param old: dict, the record before it.
        :returns: ``(term deletions, text deletions, rows)``: two lists
            of statement parameters and the ``(pk, rows)`` pairs of
            :meth:`insert`; opaque to callers, which hand it to
            :meth:`apply`.
        :raises errors.ValidationError: the new version is over the
            limit (:meth:`entries`).
        """
        entries, texts = self.entries(record)
        old_entries, old_texts = self.entries(old, limited=False)
        # term_row is one to one, so the entries are compared before it
        # is applied, and only the few that differ are mapped.
        gone_terms = [
            {'t_project': project_id, 't_name': name, 't_value': value,
             't_pk': pk}
            for name, value in self._term_rows(old_entries - entries)]
        gone_texts = [{'x_pk': pk, 'x_text': text}
                      for text in sorted(old_texts - texts)]
        added = [(pk, (project_id, self._term_rows(entries - old_entries),
                       sorted(texts - old_texts)))]
        return gone_terms, gone_texts, added

    def apply(self, connection, changes):
        """Write the result of :meth:`changes`: the removed entries are
        deleted, the added ones inserted, each as one executemany
        statement (none when a table has no change).

        :param connection: the open write Connection.
        :param changes: the value :meth:`changes` returned.
        """
        gone_terms, gone_texts, added = changes
        if gone_terms:
            connection.execute(self._delete_term, gone_terms)
        if gone_texts:
            connection.execute(self._delete_text, gone_texts)
        self.insert(connection, added)

    def drop(self, connection, pk):
        """Delete every entry of a document.

        :param connection: the open write Connection.
        :param pk: the document's ``id``.
        """
        connection.execute(self.index.terms.delete().where(
            self.index.term_pk == pk))
        connection.execute(self.index.texts.delete().where(
            self.index.text_pk == pk))
