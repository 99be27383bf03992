"""The large document of issue 20 item 7 and a counter of the index rows
a write sends, shared by its tests
(:mod:`tests.functional.api.test_document_terms`) and its benchmark
(``benchmarks/big_document.py``)."""

import collections

import sqlalchemy as sa

#: Groups and keys per group of :func:`large_agent`: 11,000 leaf keys,
#: about 98 KB of JSON, like the operator trial's 95 KB document.
GROUPS = 110
KEYS = 100


def large_agent(backup_name='first-name'):
    """A ``freezer_action`` of 11,000 nested keys: ``g<n>.k<m>`` = m.

    :param backup_name: str, its one top-level string value.
    :returns: dict; 11,334 search index entries once stored (the
        11,000 paths, the 100 distinct ``k<m>`` = m key terms, the
        groups' key and path terms and the few top-level ones).
    """
    agent = {'action': 'backup', 'backup_name': backup_name}
    for group in range(GROUPS):
        agent['g%d' % group] = {'k%d' % key: key for key in range(KEYS)}
    return agent


class IndexWrites(object):
    """Counts the search index rows the repositories write.

    Listens to every engine's ``after_execute`` while started: each
    INSERT or DELETE on a ``*_terms`` or ``*_texts`` table counts one
    row per parameter set of an executemany, else its rowcount. The
    counts are the statements the code sends, the same on every engine.

    :ivar rows: :class:`collections.Counter` of ``(table, 'insert' |
        'delete')`` -> rows.
    """

    def __init__(self):
        self.rows = collections.Counter()

    def start(self):
        """Start counting (until :meth:`stop`)."""
        sa.event.listen(sa.engine.Engine, 'after_execute', self._executed)

    def stop(self):
        """Stop counting."""
        sa.event.remove(sa.engine.Engine, 'after_execute', self._executed)

    def _executed(self, conn, clause, multiparams, params, options, result):
        table = getattr(clause, 'table', None)
        if table is None or not table.name.endswith(('_terms', '_texts')):
            return
        if isinstance(clause, sa.sql.Insert):
            kind = 'insert'
        elif isinstance(clause, sa.sql.Delete):
            kind = 'delete'
        else:
            return
        self.rows[table.name, kind] += (len(multiparams) if multiparams
                                        else result.rowcount)
