"""Controller of ``/v2/{project_id}/sessions[/{session_id}[/action |
/jobs/{job_id}]]``.

Routing, 405, the policy rule and the URL project check happen before any
method here runs (:class:`api.controllers.base.Endpoint`, rules from
:data:`api.routes.ROUTES`). Each method follows one rhythm: parse and
validate, one repository call, render. Statuses and bodies are the
spec's (``sessions.md``, "Routes"); the rules are
:mod:`freezer_core.sessions` and :mod:`freezer_core.session_runs`.
"""

from api.controllers import base
from api import inputs
from api import pages
from api import render
from freezer_core import session_runs
from freezer_core import sessions

ID = 'session_id'
NOUN = 'Session'
COLLECTION = 'sessions'


def _session_id(session_id, creating=False):
    return inputs.item_id(session_id, ID, NOUN, creating)


def _shown(record):
    return render.record(sessions.view(record))


class SessionsController(object):
    """The sessions of a project, their member jobs and their runs."""

    def get_all(self, request, project_id):
        """List or search sessions: 200 ``{"sessions": [doc, ...]}``."""
        _params, page, search = inputs.listing(request)
        rows = request.repositories.sessions.page(
            project_id, search, page, batch_size=pages.batch_size(request))
        return pages.response(COLLECTION, rows, pages.each(_shown))

    def create(self, request, project_id):
        """Create a session with a generated id: 201 ``{"session_id"}``
        and ``Location`` (a ``session_id`` in the body is ignored)."""
        write = sessions.validate_create(inputs.json_body(request),
                                         inputs.limits(request))
        inputs.refuse_if_match(request, NOUN)
        record = request.repositories.sessions.create(
            project_id, request.freezer_context.user_id or '',
            write.document)
        return base.created(request, ID, record, 'v2', project_id,
                            COLLECTION)

    def show(self, request, project_id, session_id):
        """Show a session: 200 doc and ``ETag``."""
        _session_id(session_id)
        record = request.repositories.sessions.get(project_id, session_id)
        return render.json_response(
            200, _shown(record), {'ETag': render.etag(record['_version'])})

    def update(self, request, project_id, session_id):
        """Merge a change: 200 ``{"session_id", "version"}``."""
        _session_id(session_id)
        expected = inputs.if_match(request)
        patch = inputs.json_body(request)
        limits = inputs.limits(request)
        record = request.repositories.sessions.update_session(
            project_id, session_id,
            lambda current: sessions.merge_patch(current, patch, limits),
            expected)
        return base.written(200, ID, record)

    def replace(self, request, project_id, session_id):
        """Replace or create: 201 ``{"session_id", "version"}``."""
        _session_id(session_id, creating=True)
        expected = inputs.if_match(request)
        body = inputs.json_body(request)
        limits = inputs.limits(request)
        record, _created = request.repositories.sessions.replace_session(
            project_id, request.freezer_context.user_id or '', session_id,
            lambda current: sessions.validate_replace(body, current, limits),
            expected)
        return base.written(201, ID, record)

    def delete(self, request, project_id, session_id):
        """Delete a session, detaching its jobs: 204."""
        _session_id(session_id)
        request.repositories.sessions.delete(
            project_id, session_id, inputs.if_match(request))
        return render.json_response(204)

    def action(self, request, project_id, session_id):
        """Run ``start`` or ``end``: 202 ``{"result", "session_tag"}``."""
        _session_id(session_id)
        expected = inputs.if_match(request)
        body = inputs.json_body(request)
        session_runs.parse_action(body)
        result, tag = request.repositories.sessions.run_action(
            project_id, session_id, body, expected)
        return render.json_response(202, {'result': result,
                                          'session_tag': tag})

    def add_job(self, request, project_id, session_id, job_id):
        """Add (or move) a job to the session: 204."""
        _session_id(session_id)
        inputs.item_id(job_id, 'job_id', 'Job')
        request.repositories.sessions.add_job(
            project_id, session_id, job_id, inputs.if_match(request))
        return render.json_response(204)

    def remove_job(self, request, project_id, session_id, job_id):
        """Remove a member job, stopping it: 204."""
        _session_id(session_id)
        inputs.item_id(job_id, 'job_id', 'Job')
        request.repositories.sessions.remove_job(
            project_id, session_id, job_id, inputs.if_match(request))
        return render.json_response(204)
