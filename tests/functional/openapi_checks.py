"""schemathesis checks for the Freezer API, loaded with SCHEMATHESIS_HOOKS.

Three of schemathesis' built-in checks cannot be used as they are, for
reasons of the contract, not of the service; each is replaced by a check
that keeps it and states the one exception:

* ``not_a_server_error`` counts every status of 500 and above, so the
  spec's 753 Malformed JSON would count as a server error (and its
  allowed statuses must start with 1-5). :func:`no_server_error` fails
  on 500-599 only, and requires a 753 to carry the Malformed JSON body.
* ``negative_data_rejection`` expects 4xx for an invalid request; an
  invalid body that is not JSON at all is answered 753 by the spec, and
  an ``If-Match`` naming no stored version is refused with 412 before
  the body is judged (spec actions.md: a create with any If-Match is a
  412; nothing is written either way). :func:`negative_data_is_refused`
  accepts 753 and 412 there, and a 2xx to a GET or HEAD whose request,
  as sent, is valid (:func:`_sent_read_is_valid`): schemathesis judges
  the values it generated, and an invalid one can go on the wire as a
  valid string (a null ``limit`` as ``limit=``, which means absent).
* ``positive_data_acceptance`` expects 2xx for a schema-valid request;
  validity of ``marker`` (an existing action of the project) and of
  ``If-Match`` (the current version) depends on the stored state, and
  the search term limit is a total over ``match`` and ``match_not``,
  which a schema cannot say. :func:`positive_data_is_accepted` accepts
  exactly those refusals (and the literal ``{action_id}`` that the
  stateful phase copies from the JSON-home document).

tests/functional/test_openapi_schemathesis.py runs schemathesis with
these in place of the built-in three.
"""

import json
import re
import urllib.parse

import jsonschema
import requests
import schemathesis
from schemathesis import checks as st_checks
from schemathesis.specs.openapi import checks as openapi_checks

from freezer_core import errors
from freezer_core import jsondoc
from tests.functional import test_openapi

MALFORMED_JSON = 753


def _error_body(response):
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if isinstance(body, dict) and set(body) == {'title', 'description'}:
        return body
    return None


def _as_get(response):
    """The answer to a HEAD request sent again as GET, for its body.

    HEAD mirrors GET without a body (spec, "Routes"), so the reason for
    a refused HEAD is read from the same request as GET.
    """
    if response.request.method != 'HEAD':
        return response
    prepared = response.request.copy()
    prepared.method = 'GET'
    with requests.Session() as session:
        return session.send(prepared, timeout=30)


def _body_is_malformed(response):
    """Whether the request body is refused by the core's strict JSON."""
    body = response.request.body
    if body is None:
        return False
    try:
        jsondoc.loads(body)
    except errors.MalformedJSON:
        return True
    return False


@schemathesis.check
def no_server_error(ctx, response, case):
    """No 5xx; a 753 answers a body that is not strict JSON, with the
    Malformed JSON error body, and nothing else."""
    if response.status_code == MALFORMED_JSON:
        if not _body_is_malformed(response):
            raise AssertionError('753 for a body that is strict JSON: %r'
                                 % (response.request.body or b'')[:200])
        if case.method.upper() == 'HEAD':
            return None
        body = _error_body(response)
        if body is None or body['title'] != 'Malformed JSON':
            raise AssertionError('753 without the Malformed JSON body: %r'
                                 % response.content[:200])
        return None
    return st_checks.not_a_server_error(ctx, response, case)


@schemathesis.check
def negative_data_is_refused(ctx, response, case):
    """Invalid requests get 4xx, or 753 when the body is not JSON (which
    :func:`no_server_error` checks); a 412 (If-Match refused) is a
    refusal too."""
    if response.status_code in (MALFORMED_JSON, 412):
        return None
    if 200 <= response.status_code < 300 and _sent_read_is_valid(
            case.path, response.request):
        # schemathesis judged the values it generated, but what went on
        # the wire is valid: an invalid value may be sent as a valid
        # string (a null limit as ``limit=``, which means absent).
        return None
    return openapi_checks.negative_data_rejection(ctx, response, case)


_spec = []


def _openapi():
    """api-ref/openapi.yaml (:func:`test_openapi.load_spec`), read once."""
    if not _spec:
        _spec.append(test_openapi.load_spec())
    return _spec[0]


def _valid(spec, schema, value):
    """Whether ``value`` passes ``schema`` (refs into the components)."""
    root = {'allOf': [schema], 'components': spec['components']}
    return not any(jsonschema.Draft202012Validator(root).iter_errors(value))


def _sent_read_is_valid(template, request):
    """Whether a GET or HEAD request, as sent, is valid for the OpenAPI
    description: no body, each path parameter and each described query
    parameter given once with a value its schema accepts (a JSON one
    decoded first; an integer-looking one as an integer). Unknown query
    parameters are ignored, as the spec says.

    :param template: the operation's path template
        (``/v2/{project_id}/clients``).
    :param request: the ``requests.PreparedRequest`` sent.
    :returns: bool.
    """
    if request.method not in ('GET', 'HEAD') or request.body:
        return False
    spec = _openapi()
    path_item = spec['paths'][template]
    parameters = {}
    for operation in (path_item, path_item.get('get', {}),
                      path_item.get('head', {})):
        for parameter in operation.get('parameters', []):
            parameter = _ref(spec, parameter)
            parameters[parameter['in'], parameter['name']] = parameter
    url = urllib.parse.urlsplit(request.url)
    names = re.findall(r'{([^}]+)}', template)
    pattern = '^' + re.sub(r'\\{[^}]+\\}', '([^/]*)',
                           re.escape(template)) + '$'
    found = re.match(pattern, url.path)
    if found is None:
        return False
    given = {('path', name): [urllib.parse.unquote(value)]
             for name, value in zip(names, found.groups())}
    for name, values in urllib.parse.parse_qs(
            url.query, keep_blank_values=True).items():
        given[('query', name)] = values
    for key, parameter in parameters.items():
        values = given.get(key)
        if values is None:
            if parameter.get('required'):
                return False
            continue
        if len(values) != 1:
            return False
        value = values[0]
        if 'content' in parameter:
            schema = parameter['content']['application/json']['schema']
            try:
                value = json.loads(value)
            except ValueError:
                return False
        else:
            schema = parameter['schema']
            if re.fullmatch(r'-?[0-9]+', value):
                value = int(value)
        if not _valid(spec, schema, value):
            return False
    return True


def _ref(spec, item):
    """``item`` with a ``$ref`` into the document followed."""
    while '$ref' in item:
        target = spec
        for part in item['$ref'].lstrip('#/').split('/'):
            target = target[part]
        item = target
    return item


def _beside_client(body):
    """The top-level keys beside ``client`` of a wrapped client
    registration, or an empty set for any other body."""
    if not isinstance(body, dict) or 'client' not in body:
        return set()
    return set(body) - {'client'}


def _refused_beside_client(body, description):
    """Whether a registration's 400 is for a key beside ``client``.

    Such a key is joined to ``client`` (spec clients.md): it must pass
    ``client``'s rule for that key and equal ``client``'s own (rule
    ``agree``), which the schema cannot state.

    :param body: the request body (decoded JSON).
    :param description: the error body's ``description``
        (``$.<path>: ... (rule: <rule>).``).
    :returns: bool.
    """
    beside = _beside_client(body)
    failed = re.match(r'\$\.([^.\[:]+)', description)
    return bool(beside) and ('(rule: agree)' in description or (
        failed is not None and failed.group(1) in beside))


@schemathesis.check
def positive_data_is_accepted(ctx, response, case):
    """Valid requests get 2xx, except for state-dependent refusals."""
    if response.status_code == 412:
        # If-Match names a version other than the stored one.
        return None
    if response.status_code in (409, 422) and '/jobs' in (
            response.request.url or ''):
        # A job naming a client or action the project does not have, an
        # id taken, an abort with no running process: state, which the
        # schema cannot state (spec jobs.md).
        return None
    if response.status_code == 400 and '/jobs' in (response.request.url
                                                   or ''):
        body = _error_body(_as_get(response))
        if body is not None and any(
                rule in body['description'] for rule in (
                    'abort-needs-current_pid', 'job_actions[',
                    'date', 'action_defaults')):
            # Rules across keys or inside entries: a calendar date, an
            # abort's pid, an inline action's own rules.
            return None
    if '/sessions' in (response.request.url or ''):
        body = _error_body(_as_get(response))
        if response.status_code in (409, 422) or (
                response.status_code == 400 and body is not None and any(
                    rule in body['description'] for rule in (
                        'tag-too-high', 'calendar'))):
            # An id another project holds, a job that is not a member, a
            # tag above the session's, a date the calendar lacks: state
            # or rules the schema cannot state (spec sessions.md).
            return None
    if response.status_code == 400 and '/clients' in (
            response.request.url or '') and _beside_client(case.body):
        body = _error_body(_as_get(response))
        if body is not None and _refused_beside_client(
                case.body, body['description']):
            return None
    if response.status_code == 400:
        if '%7Baction_id%7D' in (response.request.url or ''):
            # The stateful phase takes the href-templates of the /v2
            # JSON-home document ("{action_id}") as literal ids.
            return None
        body = _error_body(_as_get(response))
        if body is not None and (
                '"marker"' in body['description']
                or 'max_search_terms' in body['description']):
            # An unknown marker, or more search terms in all than
            # [api] max_search_terms (a total over both sides, which
            # the schema cannot state).
            return None
    return openapi_checks.positive_data_acceptance(ctx, response, case)
