"""Graceful drain on SIGTERM (SPEC §4 "Operations", issue #22): the public
listener stops accepting, /healthz answers 503 at once, every live
WebSocket gets the close 1012 ("service restart") so its app reconnects to
another instance, a request in flight is still answered, and the process
exits at once when nothing is in flight, within server.drain_timeout_s
when something is."""

import base64
import json
import os
import signal
import socket
import time
import unittest

from harness import STRONG, Server, WsClient, new_device, register_verified, sign_in, SmtpSink

# "Exit within 1 s when nothing is in flight" (issue #22); before the drain
# it took 10 s as soon as one device was connected.
IDLE_EXIT_S = 1.0
SERVICE_RESTART = 1012


def exit_seconds(server):
    """Sends SIGTERM and returns (seconds until the process ended, exit code)."""
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    rc = server.proc.wait(30)
    elapsed = time.monotonic() - started
    server.stderr.close()
    return elapsed, rc


def wait_until(predicate, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)  # polling a condition with a bound, not synchronising on time
    raise AssertionError(f"not within {timeout}s: {what}")


def healthz_status(port):
    """Status of GET /healthz on a new connection; None when refused."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            head = s.recv(4096).decode(errors="replace")
            return int(head.split(" ")[1]) if head.startswith("HTTP/1.1 ") else None
    except (ConnectionRefusedError, ConnectionResetError):
        return None


class SilentDevice:
    """A WebSocket client that authenticates and then stops reading, like a
    phone whose app was frozen or whose network went away: it never answers
    the server's close. The server must not wait for it."""

    def __init__(self, server, token):
        self.sock = socket.create_connection((server.host, server.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /v1/notifications HTTP/1.1\r\nHost: {server.host}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
                           ).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        self._send_text(json.dumps({"type": "auth", "token": token}).encode())
        opcode, payload = self.frame()
        assert opcode == 1 and json.loads(payload)["type"] == "ready", payload

    def _recv(self):
        chunk = self.sock.recv(4096)
        if not chunk:
            raise EOFError("connection closed")
        return chunk

    def _send_text(self, payload):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert len(payload) < 126
        self.sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def frame(self):
        """(opcode, payload) of the next server frame (servers do not mask)."""
        while True:
            if len(self.buf) >= 2:
                n = self.buf[1] & 0x7F
                start = 2 if n < 126 else 4 if n == 126 else 10
                if len(self.buf) >= start:
                    if n >= 126:
                        n = int.from_bytes(self.buf[2:start], "big")
                    if len(self.buf) >= start + n:
                        opcode, payload = self.buf[0] & 0x0F, self.buf[start:start + n]
                        self.buf = self.buf[start + n:]
                        return opcode, payload
            self.buf += self._recv()

    def close_code(self):
        """The code of the close frame the server sent (pings skipped)."""
        while True:
            opcode, payload = self.frame()
            if opcode == 8:
                return int.from_bytes(payload[:2], "big")


class DrainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()

    @classmethod
    def tearDownClass(cls):
        cls.smtp.stop()

    def live_devices(self, server, n, silent=0):
        """`n` signed-in devices of one account, each with a live WebSocket
        (python3-websockets, which answers a close), and `silent` more that
        stop reading after `ready`."""
        email, _ = register_verified(server, self.smtp)
        clients, silents = [], []
        for i in range(n + silent):
            r = sign_in(server, email, new_device())
            self.assertEqual(r.status, 200, r)
            if i < n:
                ws = WsClient(server)
                self.assertEqual(ws.auth(r.json["access_token"])["type"], "ready")
                clients.append(ws)
            else:
                silents.append(SilentDevice(server, r.json["access_token"]))
        return clients, silents

    def test_live_devices_get_1012_and_the_process_exits_at_once(self):
        server = Server(smtp=self.smtp)
        clients, silents = [], []
        try:
            clients, silents = self.live_devices(server, 15, silent=5)
            elapsed, rc = exit_seconds(server)
            print(f"\nexit after SIGTERM with 20 live devices: {elapsed:.3f} s")
            for device in silents:
                self.assertEqual(device.close_code(), SERVICE_RESTART)
            self.assertEqual(rc, 0)
            self.assertLess(elapsed, IDLE_EXIT_S)
            for ws in clients:
                self.assertTrue(ws.wait_closed(5))
                self.assertEqual(ws.ws.close_code, SERVICE_RESTART)
            self.assertIn('"event":"drain_started"', server.logs())
            self.assertIn('"event":"stopped"', server.logs())
        finally:
            for ws in clients:
                ws.close()
            for device in silents:
                device.sock.close()
            server.stop()

    def test_unauthenticated_websocket_does_not_hold_the_exit(self):
        server = Server(smtp=self.smtp)
        ws = WsClient(server)  # never sends its auth message
        try:
            elapsed, rc = exit_seconds(server)
            self.assertEqual(rc, 0)
            self.assertLess(elapsed, IDLE_EXIT_S)
            self.assertTrue(ws.wait_closed(5))
            self.assertEqual(ws.ws.close_code, SERVICE_RESTART)
        finally:
            ws.close()
            server.stop()

    def test_request_in_flight_is_answered_and_healthz_says_503_meanwhile(self):
        server = Server(smtp=self.smtp, server_config="body_timeout_s = 30")
        try:
            body = json.dumps({"password": STRONG}).encode()
            s = socket.create_connection((server.host, server.port), timeout=10)
            s.sendall(b"POST /v1/password/strength HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\n"
                      + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:5])
            # The headers are in: the request is in flight.
            self.assertEqual(healthz_status(server.management_port), 200)
            started = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            wait_until(lambda: healthz_status(server.management_port) == 503, 1,
                       "/healthz answers 503 on the management listener")
            wait_until(lambda: healthz_status(server.port) is None, 1,
                       "the public listener refuses new connections")
            self.assertIsNone(server.proc.poll(), "exited with a request in flight")
            s.sendall(body[5:])
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
            s.close()
            head = answer.decode(errors="replace")
            self.assertTrue(head.startswith("HTTP/1.1 200 "), head)
            self.assertIn("Connection: close", head)
            rc = server.proc.wait(5)
            server.stderr.close()
            self.assertEqual(rc, 0)
            print(f"\nexit {time.monotonic() - started:.3f} s after SIGTERM, request answered")
        finally:
            server.stop()

    def test_a_stuck_request_is_cut_at_the_drain_timeout(self):
        server = Server(smtp=self.smtp, server_config="body_timeout_s = 60\ndrain_timeout_s = 2")
        try:
            s = socket.create_connection((server.host, server.port), timeout=10)
            s.sendall(b"POST /v1/password/strength HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            self.assertEqual(healthz_status(server.management_port), 200)  # headers read
            elapsed, rc = exit_seconds(server)
            self.assertEqual(rc, 0)
            self.assertGreaterEqual(elapsed, 1.5)
            self.assertLess(elapsed, 2 + IDLE_EXIT_S)
            self.assertIn('"event":"drain_timeout"', server.logs())
            s.close()
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
