"""Size limits on what a client may send, as one value passed in.

The core reads no configuration (house style: configuration is passed
in). The web layer builds a :class:`Limits` from the ``[api]`` options of
the same names (``freezer_daemon.conf``) and hands it to
every document validator (:func:`freezer_core.documents.check` and the
resources' ``validate_*``/``parse_*``/``merge_patch`` functions),
:func:`freezer_core.search.parse` and :func:`freezer_core.jsondoc.loads`
(``max_depth``). Each refusal names the limit by its field name, which is
also the option name, so an operator knows what to raise.

The body size as a whole is oslo.middleware's ``[oslo_middleware]
max_request_body_size``, and it is what bounds a document by default:
no limit of this module refuses an otherwise valid document that the
body limit lets through (spec, "Errors": a 100 KiB string value in a
110 KiB body is stored), nesting deeper than 64 levels aside. The string
length and agent key limits are :data:`NO_LIMIT` unless an operator
tightens them; the search term limit bounds a search, not a document.

One document limit is not part of :class:`Limits`:
:data:`MAX_DOCUMENT_TERMS` (``[api] max_document_terms``) counts the
search index entries a stored document gets, which only the storage
computes (:class:`freezer_core.storage.search_index.IndexWriter`), so the
repositories receive it when they are built
(:class:`freezer_core.storage.Repositories`) and apply it to every write
of every resource.
"""

import collections
import sys

from freezer_core import jsondoc

#: Deepest nesting of objects/arrays (spec, "Errors": 64 levels).
MAX_JSON_DEPTH = jsondoc.MAX_DEPTH
#: A limit no document reaches: a string or a key count of a document
#: that fits in a request body is always below it.
NO_LIMIT = sys.maxsize
#: Longest string, value or key, in any document (characters):
#: none by default, the body size bounds it.
MAX_STRING_LENGTH = NO_LIMIT
#: Most keys at the top of ``freezer_action``: none by default, the body
#: size bounds them.
MAX_ACTION_KEYS = NO_LIMIT
#: Most search index entries of one stored document, of any resource:
#: one per distinct (key, value) and (dotted path, value) pair at any
#: depth and one per distinct string value
#: (:func:`freezer_core.search.view_index`). None by default: an entry
#: takes at least two bytes of the body (a member ``"k":0,`` gives two in
#: six bytes), so a body of the default 114,688 bytes gives at most
#: about 57,344 (plus the few server fields) and the body size bounds
#: the index work. The 11,000-key action of ``benchmarks/big_document.py``
#: (98 KB) has 11,334: its paths are distinct, its key/value pairs
#: repeat.
MAX_DOCUMENT_TERMS = NO_LIMIT
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
        document of any resource (a validation error, 400);
        :data:`NO_LIMIT` for none.
    :ivar max_action_keys: int, keys at the top of ``freezer_action``
        (a validation error, 400); :data:`NO_LIMIT` for none.
    :ivar max_search_terms: int, terms of one search (a search error,
        400).
    """

    __slots__ = ()


#: The defaults; the ``[api]`` options of the same names default to them
#: (unset meaning :data:`NO_LIMIT`).
DEFAULT = Limits(max_json_depth=MAX_JSON_DEPTH,
                 max_string_length=MAX_STRING_LENGTH,
                 max_action_keys=MAX_ACTION_KEYS,
                 max_search_terms=MAX_SEARCH_TERMS)
