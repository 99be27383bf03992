"""Reading request inputs: the JSON body, query parameters, ``If-Match``.

Bodies are read as JSON whatever their Content-Type, including none and
``text/plain`` (spec, "Errors": compat with the scheduler and web UI).
"""

import re

import webob.exc

from freezer_core import action_schema
from freezer_core import errors
from freezer_core import jsondoc
from freezer_core import limits as limits_mod
from freezer_core import pagination
from freezer_core import search
from freezer_core import versions

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?([0-9]{1,10})"?\s*$')


def limits(request):
    """The request limits configured in ``[api]``.

    :param request: the Pecan request, with ``conf`` attached by
        :class:`api.hooks.ServiceHook`.
    :returns: :class:`freezer_core.limits.Limits` built from
        ``[api] max_json_depth``, ``max_string_length``,
        ``max_action_keys`` and ``max_search_terms``; an unset option
        is :data:`freezer_core.limits.NO_LIMIT`.
    """
    api = request.conf.api
    return limits_mod.Limits(
        max_json_depth=api.max_json_depth,
        max_string_length=api.max_string_length or limits_mod.NO_LIMIT,
        max_action_keys=api.max_action_keys or limits_mod.NO_LIMIT,
        max_search_terms=api.max_search_terms)


def json_body(request):
    """Decode the request body as strict JSON.

    :param request: the Pecan request (``conf`` attached, see
        :func:`limits`).
    :returns: the decoded value, or None for an empty body.
    :raises freezer_core.errors.MalformedJSON: not strict JSON, or nested
        deeper than ``[api] max_json_depth``.
    :raises webob.exc.HTTPRequestEntityTooLarge: the body is over the
        configured limit (raised while reading it).
    """
    try:
        raw = request.body
    except OSError:
        # webob's DisconnectionError: fewer bytes than Content-Length
        # arrived before the client went away.
        raise webob.exc.HTTPBadRequest(
            detail='The request body ended before its Content-Length.')
    return jsondoc.loads(raw, max_depth=request.conf.api.max_json_depth)


def item_id(value, id_name, noun, creating=False):
    """Check the id of an item URL before it reaches storage.

    A URL id is client input like a body field: replace-or-create would
    otherwise store ids the spec forbids (300 characters, ``bad.id``, a
    NUL), and a NUL or an overlong id sent to the database is an error on
    some engines (PostgreSQL refuses NUL) instead of the same answer on
    every one. ``re.fullmatch`` is used so that a trailing newline, which
    ``$`` would let through, is refused too. Action and job ids share
    the rule (1-64 of ``[A-Za-z0-9_-]``, spec ``actions.md``, ``jobs.md``).

    :param value: str, the percent-decoded path segment.
    :param id_name: str, the URL variable (``'job_id'``), named in a 400.
    :param noun: str, the resource in a 404 (``'Job'``).
    :param creating: bool; True for replace-or-create (``POST`` on the
        item), where a malformed id is a bad request, False for reads,
        updates and deletes, where no document can have that id.
    :returns: ``value``.
    :raises freezer_core.errors.ValidationError: malformed, when creating.
    :raises freezer_core.errors.NotFound: malformed, otherwise.
    """
    if re.fullmatch(action_schema.ACTION_ID_PATTERN, value):
        return value
    if creating:
        raise errors.ValidationError(
            '%s in the URL must be 1-64 characters of A-Z, a-z, '
            '0-9, "_" and "-" (rule: pattern).' % id_name, id_name)
    raise errors.NotFound('%s %s not found.' % (noun, value[:80]))


def action_id(value, creating=False):
    """:func:`item_id` of an ``{action_id}``."""
    return item_id(value, 'action_id', 'Action', creating)


_FLAGS = {'true': True, '1': True, 'yes': True, 'on': True,
          'false': False, '0': False, 'no': False, 'off': False}


def flag(params, name):
    """Read a boolean query parameter (``all_projects``).

    Spec ``jobs.md``, "Listing": ``true``/``false`` in any case, ``1``/
    ``0``, ``yes``/``no``, ``on``/``off``; absent is False.

    :param params: the :func:`query` mapping.
    :param name: str, the parameter.
    :returns: bool.
    :raises freezer_core.errors.InvalidParameter: another value, or the
        parameter repeated.
    """
    values = params.get(name) or []
    if not values:
        return False
    if len(values) == 1 and values[0].lower() in _FLAGS:
        return _FLAGS[values[0].lower()]
    raise errors.InvalidParameter(
        'Query parameter "%s" must be given once, as true or false.'
        % name, name)


def project_id(value):
    """Check the ``{project_id}`` of a URL before it reaches storage.

    The project comes from the URL, so it is client input: a NUL (which
    PostgreSQL refuses) or more characters than the column holds (which
    MySQL refuses) would otherwise be a 500 on some engines and a stored
    row on others (spec, "Errors": NUL is a 400; the same answer on every
    engine).

    :param value: str, the percent-decoded path segment.
    :returns: ``value``.
    :raises freezer_core.errors.ValidationError: NUL, or longer than
        :data:`freezer_core.action_schema.MAX_ID_LENGTH` characters.
    """
    if '\x00' in value:
        raise errors.ValidationError(
            'project_id in the URL must not contain the NUL character '
            '(rule: no-nul).', 'project_id')
    if len(value) > action_schema.MAX_ID_LENGTH:
        raise errors.ValidationError(
            'project_id in the URL must be at most %d characters (rule: '
            'maxLength).' % action_schema.MAX_ID_LENGTH, 'project_id')
    return value


def query(request):
    """The query string as a mapping of name to every value sent.

    :param request: the :class:`webob.Request`.
    :returns: dict of str to list of str.
    """
    params = {}
    for name, value in request.GET.items():
        params.setdefault(name, []).append(value)
    return params


def search_document(request, params, parse=search.parse,
                    parse_param=search.parse_param):
    """Read the search of a list request.

    It comes in the GET body (python-freezerclient sends it there) or in
    the ``search`` query parameter as a JSON string (spec). Both at once
    are refused rather than one silently ignored.

    :param request: the :class:`webob.Request`.
    :param params: the :func:`query` mapping.
    :param parse: the parser of a decoded search document, called as
        ``parse(document, max_terms=)`` (a resource with search keys of
        its own passes its parser, e.g.
        :func:`freezer_core.backups.parse_search`).
    :param parse_param: the parser of the ``search`` parameter, called as
        ``parse_param(text, max_terms=, max_depth=)``.
    :returns: what ``parse`` returns (by default
        :class:`freezer_core.search.Search`).
    :raises freezer_core.errors.MalformedJSON: the body is not JSON.
    :raises freezer_core.errors.InvalidParameter: ``search`` is repeated,
        not JSON, or given together with a body.
    :raises freezer_core.errors.SearchError: a bad search shape, or more
        terms than ``[api] max_search_terms``.
    """
    values = params.get('search') or []
    if len(values) > 1:
        raise errors.InvalidParameter(
            'Query parameter "search" is given %d times; give it at most '
            'once.' % len(values), 'search')
    max_terms = request.conf.api.max_search_terms
    document = json_body(request)
    if document is None and request.body.strip():
        # The body was the JSON literal null: a shape other than an
        # object, refused rather than read as "no filter" (spec).
        raise errors.SearchError(
            'The search document must be a JSON object with "match" '
            'and/or "match_not" lists, not null.', '$')
    if values and values[0] != '':
        if document is not None:
            raise errors.InvalidParameter(
                'Give the search either in the body or in the "search" '
                'query parameter, not both.', 'search')
        return parse_param(values[0], max_terms=max_terms,
                           max_depth=request.conf.api.max_json_depth)
    return parse(document, max_terms=max_terms)


def if_match(request):
    """Read the ``If-Match`` header: the version the write expects.

    Spec ``actions.md``, "Rules every resource shares", **If-Match**:
    ``*`` means "exists", a weak tag compares by its value.

    :param request: the :class:`webob.Request`.
    :returns: None when the header is absent, :data:`freezer_core.
        versions.ANY` for ``*``, else the int version; the repositories
        take it as ``expected_version``, and one that would create
        answers 412 for any value but None.
    :raises freezer_core.errors.ValidationError: a value that is not a
        (quoted) version number, or several values.
    """
    raw = request.headers.get('If-Match')
    if raw is None:
        return None
    if raw.strip() == '*':
        return versions.ANY
    match = _IF_MATCH.match(raw)
    if not match:
        raise errors.ValidationError(
            'If-Match must be one version number as returned in ETag, '
            'e.g. "3".', 'If-Match')
    return int(match.group(1))


def refuse_if_match(request, noun):
    """Refuse any ``If-Match`` on a POST that always creates.

    Spec ``actions.md``, **If-Match**: on a POST that would create there
    is no current version, so any If-Match (``*`` included) answers 412.
    Called by the create handlers once the body is validated, before the
    write: a bad body or header is a 400 first (spec, "Error
    precedence"), and nothing is stored. (Writes that create only when
    the id is new, replace and client registration, pass
    :func:`if_match` to the repository, which refuses the create there.)

    :param request: the :class:`webob.Request`.
    :param noun: str, the resource named in the 412 (``'Action'``).
    :returns: None
    :raises freezer_core.errors.ValidationError: a malformed If-Match.
    :raises freezer_core.errors.VersionMismatch: If-Match is present.
    """
    if if_match(request) is not None:
        raise errors.VersionMismatch(
            'If-Match needs an existing %s; this POST creates a new one.'
            % noun.lower())


def page(request, params):
    """The page a list request asks for.

    :param request: the :class:`webob.Request` (its ``[api]
        default_limit`` and ``max_limit``).
    :param params: the :func:`query` mapping.
    :returns: :class:`freezer_core.pagination.Page`.
    :raises freezer_core.errors.InvalidParameter: a bad ``limit``,
        ``offset`` or ``marker`` (spec ``actions.md``, "Listing").
    """
    return pagination.parse(params,
                            default_limit=request.conf.api.default_limit,
                            max_limit=request.conf.api.max_limit)


def listing(request, parse=search.parse, parse_param=search.parse_param):
    """Everything a list request asks for, in the order it is checked.

    :param request: the :class:`webob.Request`.
    :param parse: see :func:`search_document`.
    :param parse_param: see :func:`search_document`.
    :returns: ``(params, page, search)``: the :func:`query` mapping, the
        :func:`page` and what ``parse`` returns.
    :raises freezer_core.errors.FreezerError: as :func:`page` and
        :func:`search_document`.
    """
    params = query(request)
    return (params, page(request, params),
            search_document(request, params, parse, parse_param))
