"""JSON Schemas of the resource documents, one module per resource.

Each module (``action``, ``client``, ``backup``, and the jobs and
sessions ones) holds the schema of what a client sends, its defaults and
enums; the rules no schema can say live in the resource's module
(:mod:`freezer_core.actions`, ...), and every document is checked by the
one validator, :mod:`freezer_core.documents`. This package holds the few
definitions every resource shares.
"""

#: Fields the server owns in every resource's document: ignored when a
#: client sends them, so a GET answer can be sent back unchanged (spec
#: ``actions.md``, "The action document" and "Rules every resource
#: shares"). Resources add their own (the id on PATCH and replace, ...).
SERVER_FIELDS = ('project_id', 'user_id', '_version', 'created_at',
                 'updated_at')

#: Longest project or user id (Keystone ids are at most 64 characters;
#: 255 leaves room for other identity backends). The storage columns are
#: this wide, and the API refuses longer ids on every engine alike.
MAX_ID_LENGTH = 255

#: Largest integer accepted in bounded integer fields (a signed 32-bit
#: column on every engine).
MAX_INT32 = 2147483647

#: Generated or client-chosen short ids (``action_id``, a client's
#: ``uuid``): 1-64 characters of ``[A-Za-z0-9_-]``. The lookahead
#: matters: jsonschema searches with Python's ``re``, whose ``$`` also
#: matches before a final newline ("abc\\n" must not pass).
SHORT_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$(?!\\n)'
