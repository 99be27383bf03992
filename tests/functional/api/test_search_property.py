"""Search through HTTP equals the reference matcher, for generated cases.

Hypothesis generates small projects of action documents and search bodies
drawn from a vocabulary where the spec's traps are likely (``"10"`` vs
``10`` vs ``10.0``, ``true`` vs ``1``, case, accents and trailing spaces,
values longer than an index column, repeated keys at several depths,
lists and objects as values, dotted paths, ``_all`` as text or as a JSON
list, LIKE wildcards in free text). Each case is created and searched
through the whole WSGI stack and the answer must be exactly the actions that
:func:`freezer_core.search.matches` selects, in list order, for the body
and for the ``search`` query parameter.
"""

import json
import urllib.parse
import uuid

import hypothesis
from hypothesis import strategies

from freezer_core import actions
from freezer_core import search
from tests.functional.api import base

#: Values longer than an index column (stored as digests).
LONG = 'L' * 200
SCALARS = strategies.sampled_from(
    ['fs', 'FS', 'ab', 'Ab', 'ab ', 'b', '10', '', 'Été', 'été', '😀',
     LONG, LONG + 'x', 10, 10.0, 1, 1.0, 0, -0.0, 1.5, True, False, None])
VALUES = strategies.recursive(
    SCALARS,
    lambda children: strategies.one_of(
        strategies.lists(children, max_size=2),
        strategies.dictionaries(strategies.sampled_from(['name', 'n']),
                                children, max_size=2)),
    max_leaves=4)
AGENT_KEYS = strategies.sampled_from(['kind', 'name', 'n', 'tags', 'meta'])
AGENT = strategies.dictionaries(AGENT_KEYS, VALUES, max_size=4)
DOCUMENT = strategies.builds(
    lambda agent, retries: {'freezer_action': dict(agent, action='backup'),
                            'max_retries': retries},
    AGENT, strategies.sampled_from([0, 1, 10]))

SEARCH_KEYS = strategies.sampled_from(
    ['kind', 'name', 'n', 'tags', 'meta', 'action', 'max_retries',
     'freezer_action.kind', 'freezer_action.meta', 'freezer_action.meta.n',
     'freezer_action.tags.name', 'meta.n'])
FREE_TEXT = strategies.one_of(
    strategies.sampled_from(['a', 'AB', 'f', 'S', '1', 'zzz', '[]',
                             '[1]', '{}', 'É', 'été', ' ', '%', '_',
                             LONG[:150], LONG + 'X']),
    strategies.lists(strategies.dictionaries(SEARCH_KEYS, SCALARS,
                                             min_size=1, max_size=2),
                     min_size=1, max_size=2).map(json.dumps))
PAIRS = strategies.one_of(
    strategies.dictionaries(SEARCH_KEYS, VALUES, min_size=1, max_size=2),
    strategies.builds(lambda text: {'_all': text}, FREE_TEXT))
SIDE = strategies.lists(PAIRS, max_size=2)
SEARCH = strategies.builds(
    lambda match, match_not: {
        k: v for k, v in (('match', match), ('match_not', match_not))
        if v is not None},
    strategies.one_of(strategies.none(), SIDE),
    strategies.one_of(strategies.none(), SIDE))


class TestSearchMatchesTheReference(base.ActionsTestCase):

    @hypothesis.settings(max_examples=60, deadline=None,
                         suppress_health_check=list(
                             hypothesis.HealthCheck))
    @hypothesis.given(strategies.lists(DOCUMENT, min_size=1, max_size=5),
                      SEARCH)
    def test_http_search_equals_the_in_memory_matcher(self, documents,
                                                      document):
        """The body and the ``search`` parameter both answer exactly the
        reference matcher's selection, in list order."""
        # Each example gets its own project: the database is shared by
        # the examples of one test.
        project = uuid.uuid4().hex
        for body in documents:
            self.create(project=project, document=body)
        records = self.request(
            'GET', '/v2/%s/actions?limit=1000' % project).json['actions']
        parsed = search.parse(document)
        expected = [r['action_id'] for r in records
                    if search.matches(parsed, actions.search_view(r))]
        self.assertEqual(expected, self.listed(
            project, '?limit=1000', body=document), document)
        query = '?limit=1000&search=' + urllib.parse.quote(
            json.dumps(document))
        self.assertEqual(expected, self.listed(project, query), document)
