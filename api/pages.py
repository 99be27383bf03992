"""List answers of every resource: one piece, or streamed batch by batch.

A list answer is ``{"<collection>": [document, ...]}`` (spec
``actions.md``, "Listing, search and pagination"), at most ``limit``
documents. Issue 20: a page of 1000 documents of 110 KB each was read,
decoded and encoded whole, about 110 MB held several times over, and the
worker kept the memory. Here a page is read through
:meth:`freezer_core.storage.listing.Listing.page` with ``[api]
list_batch_size``:

* a page whose stored documents add up to at most that size (the common
  case: small pages, small documents) was read in one transaction and is
  answered in one piece with ``Content-Length``, as before;
* a larger page is sent as it is read: a first batch is read before the
  answer starts (so that a database error is still a JSON 503), then each
  batch is rendered and written (chunked transfer encoding; no
  ``Content-Length``), so the worker holds about one batch. The bytes are
  exactly those of the one-piece answer.

A page is never cut short by its size: the wire contract is unchanged,
and a client paging with ``offset += len(page)`` until a short page sees
every document. What a streamed page may differ in is consistency: its
batches are separate reads, so a document deleted after the page's ids
were read is left out, and one changed meanwhile is sent as its batch
found it (:class:`freezer_core.storage.listing.PageRows`). A failure
after the answer started cannot become an error status any more: it is
logged and the iteration raises, so that the WSGI server drops the
connection (no terminating chunk; the client sees a truncated answer,
never a complete-looking one).
"""

import ctypes
import ctypes.util
import json

from oslo_log import log as logging
import webob

from api import render

LOG = logging.getLogger(__name__)


def _malloc_trim():
    """glibc's ``malloc_trim``, or None (another C library)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library('c')).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


_MALLOC_TRIM = _malloc_trim()


def release_memory():
    """Give the C heap's free pages back to the system, in every malloc
    arena (glibc's ``malloc_trim(0)``; nothing elsewhere).

    Each server thread allocates from its own glibc arena, and an arena
    keeps the pages a request freed: a streamed page served by a new
    thread each time grew a worker by about 10 MB a request (issue 20's
    trial; ``docs/search-and-paging.rst``). Called once a streamed page
    is done; it costs about a millisecond.

    :returns: None
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def batch_size(request):
    """The ``[api] list_batch_size`` of a request's service.

    :param request: the Pecan request (``conf`` attached by
        :class:`api.hooks.ServiceHook`).
    :returns: int bytes.
    """
    return request.conf.api.list_batch_size


def each(render_one):
    """Adapt a per-record renderer to :func:`response`'s ``shown``.

    :param render_one: callable record -> JSON-compatible value.
    :returns: callable list of records -> list of values.
    """
    return lambda records: [render_one(record) for record in records]


def response(collection, rows, shown):
    """The 200 answer of a list request.

    :param collection: str, the answer's key (``'actions'``).
    :param rows: :class:`freezer_core.storage.listing.PageRows` read with
        :func:`batch_size`.
    :param shown: callable taking a list of records (one batch, in page
        order) and returning the list of their wire documents.
    :returns: :class:`webob.Response`: a JSON body with
        ``Content-Length`` when the page was read whole, else a streamed
        ``application/json`` body.
    :raises freezer_core.errors.StorageUnavailable: the first batch
        could not be read (the answer has not started).
    """
    batches = rows.batches()
    first = next(batches, [])
    if rows.records is not None:
        return render.json_response(200, {collection: shown(first)})
    resp = webob.Response(status=200, charset=None,
                          content_type='application/json')
    resp.app_iter = Stream(collection, first, batches, shown)
    return resp


def _encoded(documents):
    return [json.dumps(document, ensure_ascii=False).encode('utf-8')
            for document in documents]


class Stream(object):
    """The body of a streamed page: the bytes of ``json.dumps({collection:
    documents}, ensure_ascii=False)``, one piece per batch.

    :class:`api.app.Application` passes it through untouched (Pecan would
    read a body to see whether it is empty).

    :param collection: str, the answer's key.
    :param first: list of records, the first batch (already read).
    :param batches: iterator of the other batches (lists of records).
    :param shown: as :func:`response`.
    """

    def __init__(self, collection, first, batches, shown):
        self._collection = collection
        self._first = first
        self._batches = batches
        self._shown = shown

    def __iter__(self):
        sent = 0
        try:
            yield b'{%s: [' % json.dumps(self._collection).encode('utf-8')
            batch, self._first = self._first, None
            while batch:
                documents = _encoded(self._shown(batch))
                if sent:
                    documents.insert(0, b'')  # the separator before it
                chunk = b', '.join(documents)
                documents = None
                sent += len(batch)
                # Nothing of this batch is held while the next is read.
                batch = None
                yield chunk
                chunk = None
                batch = next(self._batches, None)
            yield b']}'
        except Exception:
            LOG.exception('A streamed %s page failed after %d documents '
                          'were sent; the answer is cut short and its '
                          'connection closed.', self._collection, sent)
            raise

    def close(self):
        """Stop reading batches (the server is done with the body) and
        return the memory they took (:func:`release_memory`)."""
        self._first = None
        self._batches.close()
        release_memory()
