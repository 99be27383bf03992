"""Who may do what with sessions: every sessions operation for every
persona (spec ``sessions.md``, "Project access").

One test per (persona, operation), named ``test_<persona>_can_<op>`` or
``test_<persona>_cannot_<op>``. Each starts from the same state in
project A: a session ``S`` whose member is job ``J``, and a job ``K`` in
no session. A permitted operation answers its success status; a refused
one answers 403 and leaves the session as it was. Policy does not depend
on the engine: SQLite only.
"""

from tests.functional import backends
from tests.functional.api import session_helpers

#: persona -> (X-Project-Id, X-Roles).
PERSONAS = {
    'admin': ('admin-project', 'admin'),
    'member': ('A', 'member,reader'),
    'reader': ('A', 'reader'),
    'service': ('service-project', 'service'),
    'other_member': ('B', 'member,reader'),
    'no_role': ('A', ''),
}

#: operation -> (method, path below /v2/A/sessions, body, success).
OPERATIONS = {
    'list': ('GET', '', None, 200),
    'show': ('GET', '/S', None, 200),
    'create': ('POST', '', {'hold_off': 5}, 201),
    'update': ('PATCH', '/S', {'hold_off': 5}, 200),
    'replace': ('POST', '/S', {'hold_off': 5}, 201),
    'delete': ('DELETE', '/S', None, 204),
    'run': ('POST', '/S/action', {'start': {'job_id': 'J',
                                            'current_tag': 0}}, 202),
    'add_job': ('PUT', '/S/jobs/K', None, 204),
    'remove_job': ('DELETE', '/S/jobs/J', None, 204),
}

READS = ('list', 'show')
#: The personas each operation admits.
ALLOWED = {op: ({'admin', 'member', 'reader', 'service'} if op in READS
                else {'admin', 'member'}) for op in OPERATIONS}


class TestSessionPersonas(session_helpers.SessionsTestCase):

    scenarios = backends.scenarios((backends.SQLITE,))

    def setUp(self):
        super().setUp()
        resp = self.request('POST', '/v2/A/sessions/S', {})
        self.assertEqual(201, resp.status_int, resp.body)
        self.register_client()
        for job_id in ('J', 'K'):
            resp = self.request('POST', '/v2/A/jobs/' + job_id,
                                dict(session_helpers.JOB, job_id=job_id))
            self.assertEqual(201, resp.status_int, resp.body)
        self.add_job('S', 'J')
        self.before = self.show('S')

    def check(self, persona, operation):
        method, suffix, body, success = OPERATIONS[operation]
        project, roles = PERSONAS[persona]
        resp = self.request(method, '/v2/A/sessions' + suffix, body,
                            project=project, roles=roles, user=persona)
        if persona in ALLOWED[operation]:
            self.assertEqual(success, resp.status_int, resp.body)
        else:
            self.assertError(403, resp, 'sessions:')
            self.assertEqual(self.before, self.show('S'))
            self.assertEqual(['S'], self.listed())


def _add_tests():
    for persona in PERSONAS:
        for operation in OPERATIONS:
            verb = 'can' if persona in ALLOWED[operation] else 'cannot'
            name = 'test_%s_%s_%s' % (persona, verb, operation)
            setattr(TestSessionPersonas, name,
                    lambda self, p=persona, o=operation: self.check(p, o))


_add_tests()
