"""Paging parameters of list requests: ``limit``, ``offset``, ``marker``.

Rules (spec ``actions.md``, "Listing, search and pagination"): ``limit``
defaults to 10 and is clamped to the configured maximum (default 1000);
values <= 0 are refused; ``offset`` defaults to 0 and must be >= 0;
``marker`` is an action id to start after. An empty value means absent.
Non-integers, repeated parameters and numbers that overflow a signed
64-bit integer are refused, naming the parameter.
"""

import collections
import re

from freezer_core import errors

#: Largest value accepted for ``limit`` before clamping, and for
#: ``offset``: a signed 64-bit integer, the widest OFFSET every engine
#: takes.
MAX_INTEGER = 2 ** 63 - 1

_SIGNED = re.compile(r'^[+-]?[0-9]+$')


class Page(collections.namedtuple('Page', ['limit', 'offset', 'marker'])):
    """Where a page starts and how long it is.

    Pass it to :meth:`freezer_core.storage.actions.ActionRepository.list`;
    ``limit``, ``offset`` and ``marker`` count matching actions only, in
    the stable order ``created_at, action_id`` (spec, "Listing, search and
    pagination").

    :ivar limit: int, 1..max_limit, the most items to return.
    :ivar offset: int >= 0, items to skip (after the marker, if any).
    :ivar marker: str or None, the action id to start after.
    """

    __slots__ = ()


def _single(params, name):
    values = params.get(name) or []
    if len(values) > 1:
        raise errors.InvalidParameter(
            'Query parameter "%s" is given %d times; give it at most '
            'once.' % (name, len(values)), name)
    if not values or values[0] == '':
        return None
    return values[0]


def _integer(params, name, minimum):
    text = _single(params, name)
    if text is None:
        return None
    if '\x00' in text or not _SIGNED.match(text):
        raise errors.InvalidParameter(
            'Query parameter "%s" must be an integer.' % name, name)
    value = int(text)
    if value < minimum or text.startswith('-'):
        # "-0" too: a sign that asks for a negative is refused as such.
        raise errors.InvalidParameter(
            'Query parameter "%s" must be at least %d.' % (name, minimum),
            name)
    if value > MAX_INTEGER:
        raise errors.InvalidParameter(
            'Query parameter "%s" is too large (at most %d).' % (
                name, MAX_INTEGER), name)
    return value


def parse(params, default_limit=10, max_limit=1000):
    """Read the paging parameters of a list request.

    Rules: spec ``actions.md``, "Listing, search and pagination" (see the
    module docstring); the 64-bit bound is :data:`MAX_INTEGER`. For
    example ``parse({'limit': ['5000'], 'marker': ['a1']})`` is
    ``Page(limit=1000, offset=0, marker='a1')``.

    :param params: mapping of parameter name to the list of its values as
        sent (``{'limit': ['5']}``); other names are ignored.
    :param default_limit: int, page size when ``limit`` is absent.
    :param max_limit: int, larger ``limit`` values are clamped to it
        (``[api] max_limit``).
    :returns: :class:`Page`.
    :raises errors.InvalidParameter: a value is repeated, not an integer,
        too small (``limit`` < 1, ``offset`` < 0), too large for a 64-bit
        integer, or a marker holds a NUL character; ``path`` names the
        parameter.
    """
    limit = _integer(params, 'limit', 1)
    offset = _integer(params, 'offset', 0)
    marker = _single(params, 'marker')
    if marker is not None and '\x00' in marker:
        raise errors.InvalidParameter(
            'Query parameter "marker" must not contain NUL.', 'marker')
    if limit is None:
        limit = default_limit
    return Page(limit=min(limit, max_limit), offset=offset or 0,
                marker=marker)
