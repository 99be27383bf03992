"""api.gate.RequestGate: a bounded number of requests in the application
at once, bodies read before the wait, streamed answers sent after it
(issue 18)."""

import io
import threading

import testtools
import webob

from api import gate

#: Seconds a test waits for another thread to reach a point (a bound, not
#: a measurement: the waits end as soon as the point is reached).
WAIT = 10


class _Blocking(object):
    """A WSGI app that holds each request until ``release`` is set."""

    def __init__(self):
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()
        self.inside = 0
        self.most_inside = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        self.entered.release()
        try:
            self.release.wait(WAIT)
            body = environ['wsgi.input'].read()
        finally:
            with self._lock:
                self.inside -= 1
        start_response('200 OK', [('Content-Length', str(len(body)))])
        return [body]


def _call(app, body=b'', results=None):
    request = webob.Request.blank('/', method='POST' if body else 'GET')
    if body:
        request.body = body
    response = request.get_response(app)
    if results is not None:
        results.append(response)
    return response


class TestRequestGate(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.started = []
        self.addCleanup(self._join_all)

    def _threads(self, target, count):
        for _ in range(count):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.started.append(thread)

    def _join_all(self):
        for thread in self.started:
            thread.join(WAIT)

    def test_one_request_at_a_time_by_default(self):
        inner = _Blocking()
        app = gate.RequestGate(inner, 1)
        results = []
        self._threads(lambda: _call(app, results=results), 3)
        self.assertTrue(inner.entered.acquire(timeout=WAIT))
        # The two others wait their turn outside the application.
        self.assertFalse(inner.entered.acquire(timeout=0.2))
        self.assertEqual(1, inner.inside)
        inner.release.set()
        for _ in range(2):
            self.assertTrue(inner.entered.acquire(timeout=WAIT))
        self._join_all()
        self.assertEqual(1, inner.most_inside)

    def test_the_limit_lets_that_many_through(self):
        inner = _Blocking()
        app = gate.RequestGate(inner, 2)
        results = []
        self._threads(lambda: _call(app, results=results), 3)
        for _ in range(2):
            self.assertTrue(inner.entered.acquire(timeout=WAIT))
        self.assertFalse(inner.entered.acquire(timeout=0.2))
        self.assertEqual(2, inner.inside)
        inner.release.set()
        self._join_all()
        self.assertEqual([200] * 3, [r.status_int for r in results])
        self.assertEqual(2, inner.most_inside)

    def test_the_body_is_read_before_the_turn_is_taken(self):
        arrived = threading.Event()

        class SlowBody(io.RawIOBase):
            """A body whose bytes arrive when ``arrived`` is set."""

            def readable(self):
                return True

            def readinto(self, buffer):
                arrived.wait(WAIT)
                buffer[:4] = b'body'
                return 4

        def echo(environ, start_response):
            body = environ['wsgi.input'].read(int(environ['CONTENT_LENGTH']))
            start_response('200 OK', [('Content-Length', str(len(body)))])
            return [body]

        app = gate.RequestGate(echo, 1)
        slow_results = []

        def slow():
            environ = webob.Request.blank('/', method='POST').environ
            environ['wsgi.input'] = io.BufferedReader(SlowBody())
            environ['CONTENT_LENGTH'] = '4'
            slow_results.append(webob.Request(environ).get_response(app))

        self._threads(slow, 1)
        # While the slow client's body trickles in, another request runs.
        self.assertEqual(b'quick', _call(app, b'quick').body)
        arrived.set()
        self._join_all()
        self.assertEqual(b'body', slow_results[0].body)

    def test_a_streamed_answer_is_sent_after_the_turn(self):
        produced = threading.Event()
        resume = threading.Event()

        def streaming(environ, start_response):
            start_response('200 OK', [])

            def chunks():
                yield b'first'
                produced.set()
                resume.wait(WAIT)
                yield b'last'
            return chunks()

        app = gate.RequestGate(streaming, 1)
        sent = []

        def consume():
            environ = webob.Request.blank('/').environ
            iterable = app(environ, lambda status, headers: None)
            sent.extend(iterable)

        self._threads(consume, 1)
        self.assertTrue(produced.wait(WAIT))
        # The stream is still being sent; the gate is free.
        inner = _Blocking()
        inner.release.set()
        other = gate.RequestGate(inner, 1)
        other._turns = app._turns
        self.assertEqual(200, _call(other).status_int)
        resume.set()
        self._join_all()
        self.assertEqual([b'first', b'last'], sent)

    def test_an_error_gives_the_turn_back(self):
        def failing(environ, start_response):
            raise RuntimeError('boom')

        app = gate.RequestGate(failing, 1)
        for _ in range(2):
            self.assertRaises(RuntimeError, app,
                              webob.Request.blank('/').environ,
                              lambda status, headers: None)
        self.assertTrue(app._turns.acquire(blocking=False))

    def test_a_body_the_client_abandons_is_refused_with_a_close(self):
        def never(environ, start_response):
            raise AssertionError('the application must not run')

        app = gate.RequestGate(never, 1)
        for failure, status in ((ConnectionResetError(104, 'reset'), 400),
                                (TimeoutError('timed out'), 408)):

            class Failing(io.RawIOBase):
                """A body whose read fails."""

                def readable(self):
                    return True

                def readinto(self, buffer, failure=failure):
                    raise failure

            environ = webob.Request.blank('/', method='POST').environ
            environ['wsgi.input'] = io.BufferedReader(Failing())
            environ['CONTENT_LENGTH'] = '10'
            response = webob.Request(environ).get_response(app)
            self.assertEqual(status, response.status_int)
            self.assertEqual('close', response.headers['Connection'])
            self.assertEqual({'title', 'description'}, set(response.json))
        # The turn was never taken.
        self.assertTrue(app._turns.acquire(blocking=False))
