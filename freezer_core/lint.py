"""``freezer-action-lint``: check action documents offline.

Usage::

    freezer-action-lint FILE [FILE ...]

Each FILE (``-`` for standard input) holds one action document (a JSON
object) or a JSON list of them, as written by hand, kept in a
configuration repository, or saved from ``GET .../actions/{action_id}``
(server fields such as ``_version`` are ignored, as the API ignores them).
Every document is checked with the same code the API runs on
``POST /v2/{project_id}/actions`` (:func:`freezer_core.actions.
validate_create` after :func:`freezer_core.jsondoc.loads`), so a file that
passes here is accepted by the service, and a file that fails gets the
error the service would answer with status 400 (or 753 for malformed
JSON). On top of that, an ``action_id`` given twice among the checked
documents is reported, since the second upload would answer 409.

Every problem of every document is printed on standard output, one per
line (a document with four faults prints four lines)::

    FILE: JSON-PATH: MESSAGE (rule: RULE)

for instance ``actions.json: $[1].freezer_action.mode: 'tape' is not one
of fs, mongo, ... (rule: enum)``. The JSON path starts at ``$``, the whole
file. Exit status: 0 when every document is valid, 1 when any problem was
found, 2 on a usage error (no FILE, unknown option).

The rules and their sources:

``strict-json``
    the file is UTF-8 JSON without duplicate keys, ``NaN``/``Infinity``
    or nesting deeper than 64 levels (spec ``actions.md``, "Errors").
``readable``
    the file can be opened and read.
``document``
    the file holds an object or a list of objects, and is not empty.
``type``, ``enum``, ``required``, ``additionalProperties``, ...
    the JSON Schema keyword that failed (also ``minimum``, ``maximum``,
    ``pattern``, ``maxLength``, ``maxProperties``)
    (:mod:`freezer_core.schemas.action`;
    spec ``actions.md``, "The action document").
``no-nul``
    no string holds a NUL character (spec, "Errors").
``unique-action-id``
    no two checked documents give the same ``action_id`` (spec: ids are
    unique across all projects).

This module uses only the standard library and the framework-free part of
freezer_core (no database), so it runs wherever the ``freezer-core``
distribution is installed.
"""

import argparse
import collections
import sys

from freezer_core import actions
from freezer_core import errors
from freezer_core import jsondoc

#: Name shown for standard input.
STDIN_NAME = '<stdin>'

#: One problem found in a file.
#:
#: ``file`` is the name as given on the command line (str);
#: ``path`` the JSON path of the offending value (str, ``$`` is the whole
#: file, ``$[2]`` its third document), or None when the file could not be
#: read at all; ``message`` a sentence naming what is wrong (str);
#: ``rule`` the name of the rule that failed (str, see the module's list).
Problem = collections.namedtuple('Problem',
                                 ['file', 'path', 'message', 'rule'])


def _rebase(path, prefix):
    """Turn a path inside one document into a path inside the file.

    :param path: str or None, a :class:`freezer_core.errors.
        ValidationError` path (no ``$``; None for the whole document).
    :param prefix: str, the document's JSON path in the file (``'$'``,
        ``'$[3]'``).
    """
    if not path:
        return prefix
    return prefix + path if path.startswith('[') else prefix + '.' + path


def check_document(document, name='-', path='$'):
    """Check one decoded action document, as the API's create does.

    :param document: the decoded JSON value (any type).
    :param name: str, the file name to put in the problems.
    :param path: str, the JSON path of ``document`` inside its file
        (``'$'`` for a file holding one document, ``'$[3]'`` for the
        fourth of a list).
    :returns: list of :class:`Problem`, empty when the document is valid:
        every fault of the document, the first being the one the API
        would answer with (rule source: :func:`freezer_core.actions.check`,
        the rules of :func:`freezer_core.actions.validate_create`).
    """
    return [Problem(name, _rebase(exc.path, path), exc.detail,
                    exc.rule or 'schema')
            for exc in actions.check(document)]


def _documents(value, name):
    """Yield ``(path, document)`` for a file's value, or a Problem."""
    if isinstance(value, list):
        for index, document in enumerate(value):
            yield '$[%d]' % index, document
    elif value is None:
        yield Problem(name, '$', 'the file is empty; expected an action '
                      'document or a list of them', 'document')
    else:
        yield '$', value


def _read(name, stdin):
    if name == '-':
        return STDIN_NAME, stdin.read()
    with open(name, 'rb') as handle:
        return name, handle.read()


def check_files(names, stdin=None):
    """Check files of action documents.

    :param names: iterable of file names (str); ``'-'`` reads ``stdin``.
    :param stdin: binary file object read for ``'-'``; None means
        ``sys.stdin.buffer``.
    :returns: list of :class:`Problem` in file order, then document order;
        empty when every document of every file is valid.
    """
    stdin = sys.stdin.buffer if stdin is None else stdin
    problems = []
    # action_id -> (file, path) of its first occurrence.
    first_seen = {}
    for name in names:
        try:
            shown, raw = _read(name, stdin)
        except OSError as exc:
            problems.append(Problem(name, None, 'cannot be read: %s'
                                    % (exc.strerror or exc), 'readable'))
            continue
        try:
            value = jsondoc.loads(raw)
        except errors.MalformedJSON as exc:
            problems.append(Problem(shown, '$', exc.description.rstrip('.'),
                                    'strict-json'))
            continue
        for item in _documents(value, shown):
            if isinstance(item, Problem):
                problems.append(item)
                continue
            path, document = item
            found = check_document(document, shown, path)
            problems.extend(found)
            if found:
                continue
            action_id = document.get('action_id')
            if action_id is None:
                continue
            if action_id in first_seen:
                problems.append(Problem(
                    shown, path + '.action_id',
                    'action_id %r is already given at %s: %s; ids are '
                    'unique across all projects' % (
                        (action_id,) + first_seen[action_id]),
                    'unique-action-id'))
            else:
                first_seen[action_id] = (shown, path + '.action_id')
    return problems


def format_problem(problem):
    """Render a problem as one line of the tool's output.

    :param problem: :class:`Problem`.
    :returns: str without a newline: ``FILE: PATH: MESSAGE (rule: RULE)``,
        or ``FILE: MESSAGE (rule: RULE)`` when ``path`` is None.
    """
    where = problem.file if problem.path is None else '%s: %s' % (
        problem.file, problem.path)
    return '%s: %s (rule: %s)' % (where, problem.message, problem.rule)


def report(names, out, err, stdin=None):
    """Check files and print the problems and a summary.

    Shared by ``freezer-action-lint`` and ``freezer-manage action
    validate`` so that both print the same lines.

    :param names: list of file names (``'-'`` is standard input).
    :param out: text file object for the problems (one per line).
    :param err: text file object for the closing summary line.
    :param stdin: binary file object read for ``'-'`` (None: the
        process's standard input).
    :returns: exit status (int): 0 when every document is valid, 1 when
        a problem was found.
    """
    problems = check_files(names, stdin=stdin)
    for problem in problems:
        out.write(format_problem(problem) + '\n')
    if problems:
        err.write('%d problem(s) in %d file(s)\n' % (
            len(problems), len({p.file for p in problems})))
        return 1
    err.write('%d file(s) checked: every action document is valid\n'
              % len(names))
    return 0


def _parser():
    parser = argparse.ArgumentParser(
        prog='freezer-action-lint',
        description='Check Freezer action documents offline, with the '
                    'rules the Freezer API applies on create.',
        epilog='Exit status: 0 all valid, 1 a problem was found, 2 usage '
               'error. Each problem is printed as "FILE: JSON-PATH: '
               'MESSAGE (rule: RULE)".')
    parser.add_argument(
        'files', metavar='FILE', nargs='+',
        help='a JSON file holding an action document or a list of them; '
             '"-" reads standard input')
    return parser


def main(argv=None):
    """Run ``freezer-action-lint``.

    :param argv: arguments without the program name; None reads
        ``sys.argv[1:]``.
    :returns: exit status (int): 0 when every document is valid, 1 when a
        problem was found, 2 on a usage error (argparse prints the usage
        on stderr); 0 for ``--help``.
    """
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        # argparse exits on --help (0) and on usage errors (2); returning
        # the status keeps main() callable from tests and other tools.
        return exc.code
    return report(args.files, sys.stdout, sys.stderr)


if __name__ == '__main__':
    sys.exit(main())
