"""The version a conditional write expects (the API's ``If-Match``).

A write's ``expected_version`` is one of three things (spec
``actions.md``, "Rules every resource shares", **If-Match**):

* ``None``: no condition, the last writer wins;
* an int: the write is done only if the stored ``_version`` equals it;
* :data:`ANY`: ``If-Match: *``, "the document exists"; any stored
  version passes.

Whatever it is, a write that would create has no current version, so
any condition (:data:`ANY` included) refuses it: the repositories answer
:class:`freezer_core.errors.VersionMismatch` instead of creating.
"""


class _AnyVersion(object):
    """The type of :data:`ANY` (one instance; compared by identity)."""

    def __repr__(self):
        return 'ANY'


#: ``If-Match: *``: the write needs the document to exist, at any version.
ANY = _AnyVersion()


def matches(current, expected):
    """Whether a stored version satisfies a write's condition.

    :param current: int, the stored ``_version``.
    :param expected: None, an int or :data:`ANY` (module docstring).
    :returns: bool; True for no condition and for :data:`ANY`.
    """
    return expected is None or expected is ANY or current == expected
