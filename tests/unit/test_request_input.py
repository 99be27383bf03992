"""freezer_daemon.http_protocol.RequestInput: requests read through the C
buffered reader, with cheroot's ``has_data`` answered without reading
the socket (issue 18)."""

import socket

from cheroot import makefile
import testtools

from freezer_daemon import http_protocol


class TestRequestInput(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server_side, self.client = socket.socketpair()
        self.addCleanup(self.client.close)
        self.addCleanup(self.server_side.close)
        self.server_side.settimeout(5)
        self.rfile = http_protocol.RequestInput(self.server_side)

    def test_has_data_reports_only_buffered_bytes(self):
        self.assertFalse(self.rfile.has_data())
        self.client.sendall(b'GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n')
        self.assertEqual(b'GET / HTTP/1.1\r\n', self.rfile.readline())
        self.assertEqual(b'\r\n', self.rfile.readline())
        # The pipelined request is already buffered.
        self.assertTrue(self.rfile.has_data())
        self.assertEqual(b'GET /2 HTTP/1.1\r\n', self.rfile.readline())
        self.assertEqual(b'\r\n', self.rfile.readline())
        self.assertFalse(self.rfile.has_data())
        # Bytes waiting in the socket, not yet read, are not "buffered";
        # asking did not consume them.
        self.client.sendall(b'next\r\n')
        self.assertFalse(self.rfile.has_data())
        self.assertEqual(b'next\r\n', self.rfile.readline())

    def test_reads_follow_the_buffered_reader(self):
        self.client.sendall(b'line one\r\nbody-bytes')
        self.assertEqual(b'line', self.rfile.readline(4))
        self.assertEqual(b' one\r\n', self.rfile.readline())
        self.assertEqual(b'body', self.rfile.read(4))
        self.assertEqual(b'-bytes', self.rfile.read(6))

    def test_a_read_still_times_out(self):
        self.server_side.settimeout(0.05)
        self.assertRaises(TimeoutError, self.rfile.readline)


class _Server(object):
    """What cheroot's connection reads of its server at creation."""

    peercreds_enabled = False
    peercreds_resolve_enabled = False


class TestStrictConnectionFiles(testtools.TestCase):

    def test_cheroots_plain_file_factory_is_replaced(self):
        server_side, client = socket.socketpair()
        self.addCleanup(client.close)
        self.addCleanup(server_side.close)
        connection = http_protocol.StrictConnection(_Server(), server_side)
        self.assertIsInstance(connection.rfile, http_protocol.RequestInput)
        self.assertIsInstance(connection.wfile, makefile.StreamWriter)

    def test_another_file_factory_is_kept(self):
        server_side, client = socket.socketpair()
        self.addCleanup(client.close)
        self.addCleanup(server_side.close)
        connection = http_protocol.StrictConnection(
            _Server(), server_side, lambda sock, mode, size: ('file', mode))
        self.assertEqual(('file', 'rb'), connection.rfile)
