"""Controller of ``/v2/{project_id}/backups[/{backup_id}]``.

Routing, 405 (no POST on the item: backup ids are never client-chosen),
the policy rule and the URL project check happen before any method here
runs (:class:`api.controllers.base.Endpoint`, rules from
:data:`api.routes.ROUTES`). Each method follows one rhythm: parse and
validate, one core call, render. Statuses and bodies are the spec's
(``backups.md``, "Routes"): documents are exactly five keys, the version
travels in ``ETag`` only.
"""

from api.controllers import base
from api import inputs
from api import pages
from api import render
from freezer_core import backups
from freezer_core import errors

ID = 'backup_id'
COLLECTION = 'backups'


def _known_id(backup_id):
    # A malformed id names no record: 404 before the database sees it.
    if not backups.is_backup_id(backup_id):
        raise errors.NotFound('Backup %s not found.' % backup_id[:80])


def _shown(record):
    return render.json_response(200, backups.wire_document(record),
                                {'ETag': render.etag(record['_version'])})


class BackupsController(object):
    """The backup records of a project: the collection and its items."""

    def get_all(self, request, project_id):
        """List or search records: 200 ``{"backups": [document, ...]}``
        (search keys plus ``time_after``/``time_before``)."""
        _params, page, (search, time_range) = inputs.listing(
            request, backups.parse_search, backups.parse_search_param)
        rows = request.repositories.backups.search_page(
            project_id, search, page, time_range, pages.batch_size(request))
        return pages.response(COLLECTION, rows,
                              pages.each(backups.wire_document))

    def create(self, request, project_id):
        """Record a backup: 201 ``{"backup_id": id}`` and ``Location``
        (the id is always generated)."""
        document = backups.client_document(*backups.parse_create(
            inputs.json_body(request), inputs.limits(request)))
        inputs.refuse_if_match(request, 'Backup')
        record = request.repositories.backups.create(
            project_id, request.freezer_context.user_id or '', document)
        return base.created(request, ID, record, 'v2', project_id,
                            COLLECTION)

    def show(self, request, project_id, backup_id):
        """Show a record: 200 document and ``ETag``."""
        _known_id(backup_id)
        return _shown(request.repositories.backups.get(project_id,
                                                       backup_id))

    def update(self, request, project_id, backup_id):
        """PATCH, structured or flat: 200 the updated document and
        ``ETag``."""
        _known_id(backup_id)
        expected = inputs.if_match(request)
        patch = inputs.json_body(request)
        limits = inputs.limits(request)
        record = request.repositories.backups.update(
            project_id, backup_id,
            lambda current: backups.client_document(*backups.merge_patch(
                current['status'], current['backup_metadata'], patch,
                limits)),
            expected)
        return _shown(record)

    def delete(self, request, project_id, backup_id):
        """Delete a record (not the stored backup data): 204."""
        _known_id(backup_id)
        request.repositories.backups.delete(
            project_id, backup_id, inputs.if_match(request))
        return render.json_response(204)
