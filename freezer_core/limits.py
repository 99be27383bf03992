"""Size limits on what a client may send, as one value passed in.

The core reads no configuration (house style: configuration is passed
in). The web layer builds a :class:`Limits` from the ``[api]`` options of
the same names (``freezer_daemon.conf``) and hands it to
every document validator (:func:`freezer_core.documents.check` and the
resources' ``validate_*``/``parse_*``/``merge_patch`` functions),
:func:`freezer_core.search.parse` and :func:`freezer_core.jsondoc.loads`
(``max_depth``). Each refusal names the limit by its field name, which is
also the option name, so an operator knows what to raise.

The limits bound the work and the storage one request can cost (a
document of millions of keys or a search of thousands of terms would
tie up a worker and bloat the search index); the body size as a whole is
oslo.middleware's ``[oslo_middleware] max_request_body_size``.
"""

import collections

from freezer_core import jsondoc

#: Deepest nesting of objects/arrays (spec, "Errors": 64 levels).
MAX_JSON_DEPTH = jsondoc.MAX_DEPTH
#: Longest string, value or key, in any document (characters).
MAX_STRING_LENGTH = 65536
#: Most keys at the top of ``freezer_action``.
MAX_ACTION_KEYS = 256
#: Most terms in one search, ``match`` and ``match_not`` together, after
#: ``_all`` lists are expanded.
MAX_SEARCH_TERMS = 32


class Limits(collections.namedtuple('Limits', [
        'max_json_depth', 'max_string_length', 'max_action_keys',
        'max_search_terms'])):
    """The limits in force for one request.

    :ivar max_json_depth: int, levels of nesting; the outermost object or
        array is level 1 (refused as malformed JSON, status 753).
    :ivar max_string_length: int, characters of any string or key in a
        document of any resource (a validation error, 400).
    :ivar max_action_keys: int, keys at the top of ``freezer_action``
        (a validation error, 400).
    :ivar max_search_terms: int, terms of one search (a search error,
        400).
    """

    __slots__ = ()


#: The defaults, also the defaults of the ``[api]`` options.
DEFAULT = Limits(max_json_depth=MAX_JSON_DEPTH,
                 max_string_length=MAX_STRING_LENGTH,
                 max_action_keys=MAX_ACTION_KEYS,
                 max_search_terms=MAX_SEARCH_TERMS)
