"""The reader over ``uwsgi.chunked_read`` (issue 20: chunked bodies under
uwsgi), with a fake of that call; the real one is exercised by
tests/functional/test_uwsgi.py."""

import io

import testtools
import webob
import webob.exc

from freezer_daemon import uwsgi_input


def _chunks(*parts):
    """A fake ``uwsgi.chunked_read`` giving ``parts`` then ``b''``."""
    queue = list(parts) + [b'']

    def chunked_read(timeout):
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item
    return chunked_read


def _echo(environ, start_response):
    request = webob.Request(environ)
    body = request.body_file.read() if request.is_body_readable else b'-'
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [body]


class TestChunkedReader(testtools.TestCase):

    def test_reads_every_chunk_whole_or_by_size(self):
        reader = uwsgi_input.ChunkedReader(_chunks(b'ab', b'cde', b'f'))
        self.assertEqual(b'abc', reader.read(3))
        self.assertEqual(b'def', reader.read())
        self.assertEqual(b'', reader.read(10))

    def test_a_chunk_uwsgi_cannot_receive_is_413(self):
        reader = uwsgi_input.ChunkedReader(
            _chunks(b'ab', OSError('unable to receive chunked part')))
        self.assertRaises(webob.exc.HTTPRequestEntityTooLarge,
                          reader.read, 65536)


class TestUwsgiChunkedInput(testtools.TestCase):

    def test_chunked_bodies_reach_the_application(self):
        app = uwsgi_input.serve_chunked_input(
            _echo, uwsgi_module=type('uwsgi', (), {
                'chunked_read': staticmethod(_chunks(b'{"a":', b' 1}'))}))
        request = webob.Request.blank('/', method='POST')
        request.headers['Transfer-Encoding'] = 'chunked'
        request.environ['wsgi.input'] = io.BytesIO(b'')
        request.environ.pop('CONTENT_LENGTH', None)
        self.assertEqual(b'{"a": 1}', request.get_response(app).body)

    def test_bodies_with_a_length_are_left_to_uwsgi(self):
        app = uwsgi_input.UwsgiChunkedInput(_echo, _chunks(b'wrong'))
        request = webob.Request.blank('/', method='POST', body=b'{}')
        self.assertEqual(b'{}', request.get_response(app).body)

    def test_outside_uwsgi_the_application_is_unchanged(self):
        self.assertIs(_echo, uwsgi_input.serve_chunked_input(_echo))
