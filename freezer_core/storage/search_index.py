"""Keep a resource's search index in step with its documents: the write
side of search (the read side is :mod:`freezer_core.storage.search_sql`).

A document's index entries are computed from its search view
(:func:`freezer_core.search.index_entries` and
:func:`freezer_core.search.text_values`) and written to the resource's
:class:`freezer_core.storage.models.SearchIndex` tables in the same
transaction as the document, so a reader never sees one without the
other.
"""

import sqlalchemy as sa

from freezer_core import search
from freezer_core.storage import search_sql


class IndexWriter(object):
    """Writes the index entries of one resource.

    :param index: :class:`freezer_core.storage.models.SearchIndex`.
    :param search_view: callable record (dict) -> the dict that search
        looks at (e.g. :func:`freezer_core.actions.search_view`).
    """

    def __init__(self, index, search_view):
        self.index = index
        self.search_view = search_view
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

    def entries(self, record):
        """The index entries of a record.

        :param record: dict, a domain record.
        :returns: ``(terms, texts)``: a set of ``(name, value)`` pairs
            (:func:`search_sql.term_row`) and a set of folded str.
        """
        view = self.search_view(record)
        terms = {search_sql.term_row(kind, name, value)
                 for kind, name, value in search.index_entries(view)}
        return terms, search.text_values(view)

    def rows(self, project_id, record):
        """The index rows of a new document, without its pk.

        Computed before the write lock is taken; :meth:`insert` adds the
        pk.

        :returns: ``(term rows, text rows)``, lists of dicts.
        """
        terms, texts = self.entries(record)
        return ([{'project_id': project_id, 'name': name, 'value': value}
                 for name, value in sorted(terms)],
                [{'project_id': project_id, 'text': text}
                 for text in sorted(texts)])

    def insert(self, connection, rows_by_pk):
        """Insert the rows of :meth:`rows` for new documents.

        :param connection: the open write Connection.
        :param rows_by_pk: iterable of ``(pk, (term rows, text rows))``.
        """
        terms, texts = [], []
        for pk, (term_rows, text_rows) in rows_by_pk:
            terms.extend(dict(row, **{self._term_pk: pk})
                         for row in term_rows)
            texts.extend(dict(row, **{self._text_pk: pk})
                         for row in text_rows)
        if terms:
            connection.execute(self._insert_term, terms)
        if texts:
            connection.execute(self._insert_text, texts)

    def update(self, connection, pk, project_id, record, old):
        """Rewrite only the entries that differ between two versions, so a
        PATCH of one key rewrites a few rows.

        :param connection: the open write Connection.
        :param pk: the document's ``id``.
        :param project_id: str, the document's project.
        :param record: dict, the record after the write.
        :param old: dict, the record before it.
        """
        terms, texts = self.entries(record)
        old_terms, old_texts = self.entries(old)
        gone = old_terms - terms
        if gone:
            connection.execute(self._delete_term, [
                {'t_project': project_id, 't_name': name, 't_value': value,
                 't_pk': pk} for name, value in sorted(gone)])
        gone = old_texts - texts
        if gone:
            connection.execute(self._delete_text, [
                {'x_pk': pk, 'x_text': text} for text in sorted(gone)])
        new_terms = [{'project_id': project_id, 'name': name,
                      'value': value} for name, value in sorted(
                          terms - old_terms)]
        new_texts = [{'project_id': project_id, 'text': text}
                     for text in sorted(texts - old_texts)]
        self.insert(connection, [(pk, (new_terms, new_texts))])

    def drop(self, connection, pk):
        """Delete every entry of a document.

        :param connection: the open write Connection.
        :param pk: the document's ``id``.
        """
        connection.execute(self.index.terms.delete().where(
            self.index.term_pk == pk))
        connection.execute(self.index.texts.delete().where(
            self.index.text_pk == pk))
