"""A kept-alive connection's idle deadline (server.idle_timeout_s): after an
answer, a client that sends nothing more is closed once the idle timeout has
passed, and not earlier. The header and body deadlines are test_limits.py's;
the deadlines are checked by a sweep of each I/O thread (http/deadline_sweep.h),
which fires at most a quarter of a second late."""

import socket
import time
import unittest

from harness import Server

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


def read_answer(s):
    """One answer of /healthz (a Content-Length body) read off socket `s`."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")))
    while len(body) < length:
        body += s.recv(4096)
    return head


class IdleDeadlineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The header deadline far above the idle one: a close within a few
        # seconds can only be the idle deadline's.
        cls.server = Server(env={"TWOSTEP_SERVER_IDLE_TIMEOUT_S": "1",
                                 "TWOSTEP_SERVER_HEADER_TIMEOUT_S": "60"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_an_idle_kept_alive_connection_is_closed_at_the_idle_timeout(self):
        with socket.create_connection((self.server.host, self.server.port), timeout=30) as s:
            for _ in range(2):  # the deadline is armed anew after each answer
                s.sendall(REQUEST)
                self.assertTrue(read_answer(s).startswith(b"HTTP/1.1 200"))
            answered = time.monotonic()
            self.assertEqual(s.recv(4096), b"")  # returns when the server closes
            idle = time.monotonic() - answered
        self.assertGreaterEqual(idle, 0.9)
        self.assertLess(idle, 10)


if __name__ == "__main__":
    unittest.main()
