"""Job events (spec ``jobs.md``, "Events")."""

import testtools

from freezer_core import errors
from freezer_core import job_events


class TestEvents(testtools.TestCase):

    def test_start_resets_status_and_result(self):
        new, result = job_events.apply_event(
            {'event': 'stop', 'status': 'completed', 'result': 'fail'},
            {'start': None})
        self.assertEqual('success', result)
        self.assertEqual({'event': 'start', 'status': '', 'result': ''}, new)

    def test_same_event_writes_nothing(self):
        for event in ('start', 'stop'):
            new, result = job_events.apply_event({'event': event}, {event: {}})
            self.assertIsNone(new)
            self.assertEqual('%s already requested' % event, result)

    def test_stop_keeps_status(self):
        new, result = job_events.apply_event({'status': 'running'},
                                             {'stop': None})
        self.assertEqual(({'event': 'stop', 'status': 'running'},
                          'success'), (new, result))

    def test_abort_needs_a_pid(self):
        self.assertRaises(errors.Conflict, job_events.apply_event,
                          {'event': ''}, {'abort': None})
        self.assertRaises(errors.Conflict, job_events.apply_event,
                          {'event': '', 'current_pid': '7'}, {'abort': None})
        new, result = job_events.apply_event(
            {'event': '', 'current_pid': 7}, {'abort': None})
        self.assertEqual(('abort', 'success'), (new['event'], result))

    def test_bad_bodies(self):
        for bad, rule in (([], 'type'), (None, 'type'), ({}, 'minProperties'),
                          ({'start': None, 'stop': None}, 'maxProperties'),
                          ({'remove': None}, 'enum')):
            exc = self.assertRaises(errors.ValidationError,
                                    job_events.apply_event, {}, bad)
            self.assertEqual(rule, exc.rule, bad)
