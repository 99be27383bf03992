"""Controller of ``/v2/{project_id}/jobs[/{job_id}[/event]]``.

Routing, 405, the main policy rule and the URL project check happen
before any method here runs (:class:`api.controllers.base.Endpoint`,
rules from :data:`api.routes.ROUTES`); ``all_projects`` adds
``jobs:get_all_projects``. Each method: parse and validate, one
repository call, render. Statuses and bodies: spec ``jobs.md``,
"Routes".
"""

import time

from api.controllers import base
from api import errors
from api import inputs
from api import pages
from api import render
from freezer_core import jobs
from policies import jobs as job_policies

ID = 'job_id'
COLLECTION = 'jobs'


def _job_id(value, creating=False):
    return inputs.item_id(value, ID, 'Job', creating)


def _now():
    return int(time.time())


def _delegate(request, project_id):
    """The trust callable of a write (spec ``jobs.md``, "Trusts"): None
    when the service has no trust broker (noauth, tests)."""
    broker = getattr(request, 'trusts', None)
    if broker is None:
        return None
    context = request.freezer_context

    def delegate(client):
        if not broker.needed(bool(client['client'].get('is_central'))):
            return None
        return broker.ensure(context.auth_token, context.user_id,
                             project_id)
    return delegate


def _may_see_all(request, project_id):
    try:
        base.authorize(request, job_policies.GET_ALL_PROJECTS, project_id)
    except errors.Forbidden:
        return False
    return True


def _renderer(request, project_id, see_all=None):
    """The GET views of a batch of job records, ``current_pid`` hidden
    where the spec says (another project's central client, spec
    "Listing"); the policy is asked once per request.

    :param see_all: bool, :func:`_may_see_all` when the caller has it
        already, else None.
    :returns: callable list of records -> list of wire documents.
    """
    if see_all is None:
        see_all = _may_see_all(request, project_id)
    # A streamed page is rendered after Pecan has let go of the request.
    repository = request.repositories.jobs

    def shown(records):
        hidden = set()
        if not see_all:
            hidden = repository.foreign_central_clients(project_id,
                                                        records)
        views = []
        for record in records:
            view = render.record(jobs.view(record,
                                           record['client_id'] in hidden))
            view['job_actions'] = [render.record(action)
                                   for action in view['job_actions']]
            views.append(view)
        return views
    return shown


class JobsController(object):
    """The jobs of a project: the collection, its items, their events."""

    def get_all(self, request, project_id):
        """List or search jobs: 200 ``{"jobs": [doc, ...]}``."""
        params = inputs.query(request)
        page = inputs.page(request, params)
        all_projects = inputs.flag(params, 'all_projects')
        # The route lets either rule through; the flag picks the one.
        base.authorize(request, job_policies.GET_ALL_PROJECTS if all_projects
                       else job_policies.GET_ALL, project_id)
        search = inputs.search_document(request, params)
        sees_all = all_projects or _may_see_all(request, project_id)
        rows = request.repositories.jobs.page(
            None if all_projects else project_id, search, page,
            batch_size=pages.batch_size(request),
            sees_central_pids=sees_all)
        return pages.response(COLLECTION, rows,
                              _renderer(request, project_id, sees_all))

    def create(self, request, project_id):
        """Create a job: 201 ``{"job_id": id}`` and ``Location``."""
        write = jobs.validate_create(inputs.json_body(request), _now(),
                                     inputs.limits(request))
        inputs.refuse_if_match(request, 'Job')
        record = request.repositories.jobs.create(
            project_id, request.freezer_context.user_id or '', write,
            _delegate(request, project_id))
        return base.created(request, ID, record, 'v2', project_id,
                            COLLECTION)

    def show(self, request, project_id, job_id):
        """Show a job: 200 document and ``ETag``."""
        record = request.repositories.jobs.get(project_id, _job_id(job_id))
        return render.json_response(
            200, _renderer(request, project_id)([record])[0],
            {'ETag': render.etag(record['_version'])})

    def update(self, request, project_id, job_id):
        """Merge a change: 200 ``{"job_id", "version"}``."""
        _job_id(job_id)
        expected = inputs.if_match(request)
        patch = inputs.json_body(request)
        limits = inputs.limits(request)
        record = request.repositories.jobs.update(
            project_id, request.freezer_context.user_id or '', job_id,
            lambda current: jobs.merge_patch(current, patch, limits),
            expected, _delegate(request, project_id))
        return base.written(200, ID, record)

    def replace(self, request, project_id, job_id):
        """Replace or create: 201 ``{"job_id", "version"}``."""
        _job_id(job_id, creating=True)
        expected = inputs.if_match(request)
        body = inputs.json_body(request)
        limits = inputs.limits(request)
        now = _now()
        record, _created = request.repositories.jobs.replace(
            project_id, request.freezer_context.user_id or '', job_id,
            lambda current: jobs.validate_replace(body, current, now,
                                                  limits),
            expected, _delegate(request, project_id))
        return base.written(201, ID, record)

    def delete(self, request, project_id, job_id):
        """Delete a job: 204, empty body. Its trust goes with it when no
        other job uses it (spec "Writes", DELETE; best effort, after the
        commit: see :meth:`freezer_daemon.trusts.TrustBroker.forget`)."""
        unused_trust = request.repositories.jobs.delete(
            project_id, _job_id(job_id), inputs.if_match(request))
        broker = getattr(request, 'trusts', None)
        if unused_trust and broker is not None:
            broker.forget(request.freezer_context.auth_token, unused_trust)
        return render.json_response(204)

    def event(self, request, project_id, job_id):
        """Start, stop or abort: 202 ``{"result": str}``."""
        _job_id(job_id)
        expected = inputs.if_match(request)
        record, result = request.repositories.jobs.event(
            project_id, job_id, inputs.json_body(request), expected)
        return render.json_response(
            202, {'result': result},
            {'ETag': render.etag(record['_version'])})
