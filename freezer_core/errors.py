"""Domain errors raised by freezer_core.

The core never speaks HTTP: each error names what went wrong, and the web
layer maps the classes to statuses in one place (``api/errors.py``).
Every error carries a short ``title`` and a human ``description`` that is
safe to show to a client (no SQL, table or class names).

Hierarchy, with who raises each class and the status the API answers
with (``api/errors.py``, after the spec ``actions.md``, "Errors")::

    FreezerError
    +-- MalformedJSON        jsondoc.loads                        753
    +-- ValidationError      documents, actions, clients, backups 400
    |   +-- InvalidParameter pagination.parse, search.parse_param,
    |   |                    Repository.list (marker)             400
    |   +-- SearchError      search.parse                         400
    +-- NotFound             Repository get/update/delete         404
    +-- Forbidden            clients (another project's client)   403
    +-- Conflict             Repository create/replace; events    409
    +-- Unprocessable        job_actions, jobs, session_runs      422
    +-- VersionMismatch      Repository (expected_version)        412
    +-- StorageUnavailable   storage.database.retry, Database     503

(``Repository`` is :class:`freezer_core.storage.repository.Repository`,
the base of every resource's repository.)

A caller embedding freezer_core catches :class:`FreezerError` for every
refusal of the core; anything else is a bug or an unexpected failure.
:class:`StorageUnavailable` is raised when the database is still
unreachable, busy (deadlocked, or SQLite's lock held) or missing (a
SQLite file or directory gone) after the retries of
:func:`freezer_core.storage.database.retry`; other database errors (a
missing table in a broken deployment) go through as oslo.db's and
SQLAlchemy's own exceptions, an unexpected 500 in the API.
"""


class FreezerError(Exception):
    """Base class of every error the core raises on purpose.

    :param description: a sentence for the client, naming the field or
        object at fault and the rule that failed.
    :ivar description: str, that sentence (also ``str(error)``).
    :ivar title: str, a short class-wide title, e.g. ``'Bad Request'``;
        the API sends it as the ``title`` of the JSON error body.
    """

    title = 'Freezer error'

    def __init__(self, description):
        super().__init__(description)
        self.description = description


class MalformedJSON(FreezerError):
    """A request body is not strict JSON.

    Raised for invalid UTF-8, syntax errors, duplicate object keys,
    ``NaN``/``Infinity`` and nesting deeper than the allowed depth (the
    spec's "Errors" section; the seed documents status 753 for it).
    """

    title = 'Malformed JSON'


class ValidationError(FreezerError):
    """A document, parameter or search body breaks a rule.

    :param description: what is wrong, naming the field and the rule
        (sent to the client).
    :param path: where: the JSON path of the offending value inside the
        document, without the leading ``$`` (``'freezer_action.mode'``,
        ``'job_actions[0].freezer_action.mode'``), or the name of a query
        parameter or header; None for the whole document or when there is
        no single place to point at.
    :param rule: the rule that failed: a JSON Schema keyword (``type``,
        ``enum``, ``required``, ``additionalProperties``, ``maxLength``,
        ``pattern``, ``minimum``, ...) or a domain rule name (``no-nul``,
        ``agree``, ...); None when the raiser names none.
    :param detail: the sentence without the path and the rule, for tools
        that print those in fixed places (:mod:`freezer_core.lint`);
        defaults to ``description``.
    :ivar path: str or None, as given.
    :ivar rule: str or None, as given.
    :ivar detail: str.

    ``ValidationError(description)`` alone still works. Document errors
    are built by :func:`freezer_core.documents.error`, whose description
    reads ``$.PATH: DETAIL (rule: RULE).``.
    """

    title = 'Bad Request'

    def __init__(self, description, path=None, rule=None, detail=None):
        super().__init__(description)
        self.path = path
        self.rule = rule
        self.detail = description if detail is None else detail


class InvalidParameter(ValidationError):
    """A query parameter (``limit``, ``offset``, ``marker``, ``search``) is
    malformed or out of range; ``path`` is the parameter's name."""


class SearchError(ValidationError):
    """A search document does not have the shape of the spec's "Listing,
    search and pagination" section."""


class NotFound(FreezerError):
    """The object does not exist in the caller's project.

    Foreign objects are reported exactly like missing ones so that the
    answer reveals nothing about other projects (spec, "Project access").
    """

    title = 'Not Found'


class Forbidden(FreezerError):
    """The object is visible to the caller but not the caller's to
    change: deleting a central client of another project (spec
    ``clients.md``, "Delete"; compat with upstream's 403).
    """

    title = 'Access Forbidden'


class Conflict(FreezerError):
    """The id is taken (in any project); nothing else is revealed.

    Also raised for a state conflict the spec answers 409 (``abort`` on a
    job with no ``current_pid``, spec ``jobs.md`` "Events").
    """

    title = 'Conflict'


class Unprocessable(FreezerError):
    """A well-formed document refers to something it cannot use.

    Raised for a reference to no action of the URL project, a reference
    that disagrees with its action, a ``client_id`` naming no usable
    client, a client lacking a capability (spec ``jobs.md``) and a
    session protocol call for a job that is not a member
    (``sessions.md``); the API answers 422.
    """

    title = 'Unprocessable Entity'


class VersionMismatch(FreezerError):
    """An ``If-Match`` version differs from the stored ``_version``; the
    write was not done (spec, "Writes")."""

    title = 'Precondition Failed'


class StorageUnavailable(FreezerError):
    """The database cannot be reached; the request may be retried."""

    title = 'Service Unavailable'
