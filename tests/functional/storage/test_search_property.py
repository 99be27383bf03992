"""Property test: the SQL search answers exactly what the in-memory
matcher (freezer_core.search.matches) answers, for generated documents and
searches, so the two can never drift apart (issue: "Every rule of the
actions contract holds").

It runs for every resource of :data:`tests.functional.storage.resources.
RESOURCES` on every engine: the search index is generic, so each
resource must answer alike.
"""

import json
import uuid

import hypothesis
from hypothesis import strategies as st

from freezer_core import pagination
from freezer_core import search
from freezer_core.storage import database
from tests.functional.storage import base

ALL = pagination.Page(limit=1000, offset=0, marker=None)

# Small alphabets so that generated searches hit generated documents.
KEYS = st.sampled_from(['a', 'b', 'name', 'mode', 'x'])
SCALARS = st.one_of(
    st.sampled_from(['fs', 'FS', 'Fs-x', 'nova', '10', 'é', '😀', '',
                     'x"y"z', '50%_off']),
    st.sampled_from([0, 1, 10, -1]),
    st.sampled_from([1.0, 10.0, 2.5]),
    st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=6)
# Top-level agent keys avoid the known ones ("mode" has an enum); nested
# objects use them freely.
AGENT = st.dictionaries(st.sampled_from(['a', 'b', 'name', 'x']), VALUES,
                        max_size=4)
# A PATCH of freezer_action (None: the action is not patched); a None
# value removes that agent key.
PATCH = st.one_of(st.none(), st.dictionaries(
    st.sampled_from(['a', 'b', 'name', 'x']), st.one_of(st.none(), VALUES),
    max_size=3))


def pairs(resource):
    """Search pairs naming keys the resource's documents hold.

    :param resource: :class:`resources.StorageResource`.
    """
    nested = [resource.nested + suffix for suffix in ('.a', '.b', '.name.a')]
    return st.dictionaries(
        st.one_of(KEYS, st.sampled_from(nested + list(resource.top_keys))),
        VALUES, min_size=1, max_size=2)


TEXTS = st.sampled_from(['fs', 'f', 'S-X', 'nov', '😀', 'É', 'zz', '1',
                        '"y"', 'x"y', '%_o', '0%_', '_'])


def _strings(value):
    """Every string value inside a JSON value (keys excluded)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


@st.composite
def searches(draw, pairs):
    def side():
        items = draw(st.lists(pairs, max_size=2))
        if draw(st.booleans()):
            items.append({'_all': draw(TEXTS)})
        if draw(st.booleans()):
            items.append({'_all': json.dumps(draw(st.lists(pairs,
                                                           max_size=2)))})
        return items
    document = {}
    if draw(st.booleans()):
        document['match'] = side()
    if draw(st.booleans()):
        document['match_not'] = side()
    return document


#: Texts SQLite's FTS5 table is left behind by: a few documents' worth.
TEXT_BATCH = 7


class TestSqlEqualsMatcher(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        # A small batch leaves some texts above SQLite's FTS5 mark and
        # indexes others (migration 0009): search reads both.
        self.repository = self.repository_with(text_batch=TEXT_BATCH)
        self.scanning = self.resource.repository(
            database.Database(self.url), driver_limit=0)

    @hypothesis.settings(max_examples=150, deadline=None,
                         suppress_health_check=[
                             hypothesis.HealthCheck.too_slow,
                             hypothesis.HealthCheck.function_scoped_fixture,
                             # One test object per engine (scenarios).
                             hypothesis.HealthCheck.differing_executors])
    @hypothesis.given(agents=st.lists(AGENT, min_size=1, max_size=6),
                      flags=st.lists(st.booleans(), min_size=6, max_size=6),
                      patches=st.lists(PATCH, min_size=6, max_size=6),
                      data=st.data())
    def test_sql_answer_equals_in_memory_answer(self, agents, flags,
                                                patches, data):
        resource = self.resource
        document = data.draw(searches(pairs(resource)))
        project = uuid.uuid4().hex
        records = []
        # Every record of every example so far, by id: the examples
        # share one database, so a resource whose lists show other
        # projects' documents shows those of earlier examples.
        stored = self.__dict__.setdefault('stored', {})
        for agent, flag, patch in zip(agents, flags, patches):
            record = self.repository.create(project, 'u',
                                            resource.body(agent, flag))
            if patch is not None:
                # PATCH rewrites only the index entries that changed.
                record = self.repository.update(
                    project, record[resource.id_name],
                    lambda cur, p=patch: resource.patch(cur, p))
            records.append(record)
            stored[record[resource.id_name]] = record
        # Search for values the documents held before their PATCH, too:
        # a stale index entry would be found by them.
        old_pairs = [pair for agent in agents for pair in agent.items()]
        if old_pairs:
            key, value = data.draw(st.sampled_from(old_pairs))
            side = data.draw(st.sampled_from(['match', 'match_not']))
            document = dict(document)
            document[side] = list(document.get(side, [])) + [{key: value}]
        old_texts = sorted(_strings(agents) - {''})
        if old_texts:
            text = data.draw(st.sampled_from(old_texts))
            side = data.draw(st.sampled_from(['match', 'match_not']))
            document = dict(document)
            document[side] = list(document.get(side, [])) + [{'_all': text}]
        if resource.rule_pairs:
            pair = data.draw(st.sampled_from(resource.rule_pairs))
            side = data.draw(st.sampled_from(['match', 'match_not']))
            if data.draw(st.booleans()):
                # The same pair through free text's JSON form.
                pair = {'_all': json.dumps([pair])}
            document = dict(document)
            document[side] = list(document.get(side, [])) + [pair]
        parsed = search.parse(document)
        if resource.visible is not None:
            records = [r for r in stored.values()
                       if resource.visible(r, project)]
        expected = [r[resource.id_name] for r in records
                    if search.matches(parsed, resource.search_view(r))]
        # Both query plans: terms driving the query (few matches) and
        # every term checked while scanning in order (many matches).
        for repository in (self.repository, self.scanning):
            got = [r[resource.id_name] for r in
                   repository.list(project, parsed, ALL)]
            self.assertEqual(expected, got)
