"""A job's ``job_actions``: references into the actions collection.

Rules: spec ``jobs.md``, "job_actions: references to actions". An entry
is either a *reference* (a non-empty ``action_id``: the stored action of
the URL project it names; other fields, when present, must agree with
it) or *inline* (no ``action_id``, or ``""`` or ``null``: an action
create body, filled by ``action_defaults``, that creates a new action).

This module judges entries; the storage looks the references up, creates
the inline actions and hands the results back to :func:`check_reference`
and :func:`check_capabilities`, all in the job's transaction.
"""

import collections
import copy

from freezer_core import actions
from freezer_core import clients
from freezer_core import documents
from freezer_core import errors
from freezer_core import jsondoc
from freezer_core import limits as limits_mod
from freezer_core.schemas import action as action_schema
from freezer_core.schemas import job as job_schema

#: Fields of a stored action an entry may restate (compared by
#: :func:`check_reference`).
CLAIM_FIELDS = ('freezer_action', 'max_retries', 'max_retries_interval',
                'mandatory')

_ENTRY_KEYS = frozenset(('action_id',) + CLAIM_FIELDS
                        + job_schema.ENTRY_IGNORED
                        + action_schema.SERVER_FIELDS)


class Entry(collections.namedtuple('Entry', ['index', 'action_id',
                                             'document'])):
    """One entry of ``job_actions``, judged.

    :ivar index: int, its position in the list (errors name
        ``job_actions[<index>]``).
    :ivar action_id: str for a reference; None for an inline entry.
    :ivar document: for a reference, dict of the :data:`CLAIM_FIELDS` the
        entry restates (possibly empty), to give to
        :func:`check_reference`; for an inline entry, the validated action
        client document (as :func:`freezer_core.actions.validate_create`
        returns it, without ``action_id``) to create.
    """

    __slots__ = ()

    @property
    def is_reference(self):
        """bool: True when the entry names a stored action."""
        return self.action_id is not None

    @property
    def path(self):
        """str: the entry's JSON path, e.g. ``'job_actions[2]'``."""
        return 'job_actions[%d]' % self.index


def _inline(index, entry, action_defaults, limits):
    body = {k: v for k, v in entry.items()
            if k not in job_schema.ENTRY_IGNORED and k != 'action_id'}
    agent = body.get('freezer_action')
    if action_defaults and isinstance(agent, dict):
        agent = dict(agent)
        for key, value in action_defaults.items():
            if agent.get(key) is None:
                agent[key] = copy.deepcopy(value)
        body['freezer_action'] = agent
    documents.raise_first(actions.check(body, limits,
                                        'job_actions[%d].' % index))
    return Entry(index, None, actions.validate_create(body, limits))


def _reference(index, entry):
    action_id = entry['action_id']
    path = 'job_actions[%d]' % index
    if not isinstance(action_id, str):
        raise documents.error(path + '.action_id', '%s is not of type string'
                              % documents.shown(action_id), 'type')
    agent = entry.get('freezer_action')
    if agent is not None and not isinstance(agent, dict):
        raise documents.error(path + '.freezer_action', '%s is not of type '
                              'object' % documents.shown(agent), 'type')
    claims = {k: copy.deepcopy(entry[k]) for k in CLAIM_FIELDS
              if k in entry and not (k == 'freezer_action' and
                                     entry[k] is None)}
    return Entry(index, action_id, claims)


def parse(job_actions, action_defaults=None, limits=limits_mod.DEFAULT):
    """Judge the entries of a ``job_actions`` list.

    Rules: spec ``jobs.md``, "job_actions": an entry whose ``action_id``
    is absent, ``""`` or null is inline: ``action_defaults`` fills each
    key absent or null in its ``freezer_action``, then it is validated as
    an action create body (``actions.md``), paths prefixed
    ``job_actions[i].``. Any other entry is a reference. ``exit_status``
    and the action document's server fields are ignored in both; any
    other unknown key is refused.

    :param job_actions: list of dicts (the schema has checked the list
        and that its items are objects).
    :param action_defaults: dict or None; never applied to references.
    :param limits: :class:`freezer_core.limits.Limits` for inline actions.
    :returns: tuple of :class:`Entry`, in the list's order.
    :raises errors.ValidationError: an unknown key (path
        ``job_actions[i]``, named in the description, rule
        ``additionalProperties``, as for any object), a
        non-string ``action_id`` or non-object ``freezer_action`` in a
        reference (rule ``type``), or an inline entry breaking an action
        rule (its path prefixed ``job_actions[i].``).
    """
    entries = []
    for index, entry in enumerate(job_actions):
        unknown = sorted(k for k in entry if k not in _ENTRY_KEYS)
        if unknown:
            raise documents.error(
                'job_actions[%d]' % index, 'Unknown field %s in the job '
                'action' % ', '.join(repr(k) for k in unknown),
                'additionalProperties')
        if entry.get('action_id') in (None, ''):
            entries.append(_inline(index, entry, action_defaults, limits))
        else:
            entries.append(_reference(index, entry))
    return tuple(entries)


def _without_nulls(agent):
    return {k: v for k, v in agent.items() if v is not None}


def missing_action(entry):
    """The error of a reference to no action of the URL project.

    Rules: spec ``jobs.md``, "job_actions" (another project's action and
    an unknown id get the same answer, status 422).

    :param entry: :class:`Entry`, a reference.
    :returns: :class:`errors.Unprocessable` naming
        ``job_actions[i].action_id``.
    """
    return errors.Unprocessable(
        '%s.action_id: not found' % entry.path)


def check_reference(entry, action):
    """Check that a reference's restated fields describe the stored action.

    Rules: spec ``jobs.md``, "job_actions": ``freezer_action`` equal key
    by key with ``null`` = absent on both sides (a partial
    ``freezer_action`` disagrees); ``max_retries``,
    ``max_retries_interval`` and ``mandatory`` by JSON equality.

    :param entry: :class:`Entry`, a reference.
    :param action: dict, the stored action (at least the
        :data:`CLAIM_FIELDS`).
    :raises errors.Unprocessable: naming the first field that differs,
        e.g. ``job_actions[0].freezer_action.mode`` or
        ``job_actions[0].max_retries`` (status 422).
    """
    claims = entry.document
    if 'freezer_action' in claims:
        sent = _without_nulls(claims['freezer_action'])
        stored = _without_nulls(action['freezer_action'])
        for key in sorted(set(sent) | set(stored)):
            if key not in sent or key not in stored or (
                    jsondoc.canonical(sent[key])
                    != jsondoc.canonical(stored[key])):
                raise errors.Unprocessable(
                    '%s.freezer_action.%s: does not agree with action %s; '
                    'change a shared action through /actions'
                    % (entry.path, key, entry.action_id))
    for key in ('max_retries', 'max_retries_interval', 'mandatory'):
        if key in claims and (jsondoc.canonical(claims[key])
                              != jsondoc.canonical(action[key])):
            raise errors.Unprocessable(
                '%s.%s: does not agree with action %s; change a shared '
                'action through /actions' % (entry.path, key,
                                             entry.action_id))


def check_capabilities(client, freezer_actions):
    """Check that a client supports every resolved action.

    Rules: spec ``jobs.md``, "Capability check": each action's
    ``action``, ``mode``, ``storage``, ``engine`` and ``engine_name``,
    when present and non-null, must be among the client's supported
    values (:func:`freezer_core.clients.unsupported` judges one action).

    :param client: dict, the client document (``clients.md``).
    :param freezer_actions: sequence of the ``freezer_action`` dicts of
        the job's actions after resolution, in ``job_actions`` order.
    :raises errors.Unprocessable: ``job_actions[i].freezer_action.<key>:
        client <client_id> does not support <value>`` (status 422).
    """
    for index, agent in enumerate(freezer_actions):
        lacking = clients.unsupported(client, agent)
        if lacking is not None:
            key, value = lacking
            raise errors.Unprocessable(
                'job_actions[%d].freezer_action.%s: client %s does not '
                'support %s' % (index, key, client.get('client_id'), value))


def action_ids(job_actions):
    """The ids a stored job references, in order.

    :param job_actions: list of the job's action documents (each with
        ``action_id``), as a record holds them.
    :returns: list of str.
    """
    return [action['action_id'] for action in job_actions]


def is_same_references(sent, current_ids):
    """Whether a sent ``job_actions`` restates the current references.

    Rules: spec ``jobs.md``, "Writes" (freezer <= 18 schedulers PATCH
    their whole, possibly stale, copy back: same ``action_id``\\ s in
    order means no change, and the entries are not compared).

    :param sent: list, the ``job_actions`` of a PATCH (objects).
    :param current_ids: list of str, :func:`action_ids` of the record.
    :returns: bool.
    """
    sent_ids = [entry.get('action_id') for entry in sent]
    return sent_ids == list(current_ids)
