"""Resource limits: slow clients time out, the hashing queue sheds overload
by its expected wait with 503 + Retry-After while /healthz keeps answering,
keep-alive works."""

import http.client
import socket
import threading
import time
import unittest

from harness import STRONG, Server, new_device, new_email


class LimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_config="", env={
            "TWOSTEP_SERVER_HEADER_TIMEOUT_S": "1",
            "TWOSTEP_SERVER_BODY_TIMEOUT_S": "1",
            "TWOSTEP_SERVER_HASH_THREADS": "1",
            # The count (1024) is far beyond the six clients below: the
            # hashes shed are those that would wait more than 50 ms, i.e.
            # any behind one hash once a first one was measured.
            "TWOSTEP_SERVER_HASH_QUEUE": "1024",
            "TWOSTEP_SERVER_HASH_QUEUE_WAIT_MS": "50",
            # Slow hashes (~0.1-0.5 s each) make the wait pass it at once.
            "TWOSTEP_SECURITY_ARGON2_ITERATIONS": "4",
            "TWOSTEP_SECURITY_ARGON2_MEMORY_KIB": "65536",
        })

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_slow_headers_are_cut_off(self):
        start = time.monotonic()
        with socket.create_connection((self.server.host, self.server.port), timeout=15) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finishes
            data = s.recv(4096)  # returns when the server closes
        self.assertEqual(data, b"")
        self.assertLess(time.monotonic() - start, 10)

    def test_slow_body_is_cut_off(self):
        with socket.create_connection((self.server.host, self.server.port), timeout=15) as s:
            s.sendall(b"POST /v1/password/strength HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            data = s.recv(4096)
        self.assertEqual(data, b"")

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        for _ in range(3):
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            r.read()
        conn.close()

    def test_hashing_overload_is_shed_with_503(self):
        results = []
        lock = threading.Lock()
        finished = []  # monotonic times at which sign-ins got their answer
        shed_seen = threading.Event()  # the hashing pool is full
        health_asked = threading.Event()

        def sign_ins():
            # Keeps the one hashing thread busy until /healthz was answered
            # (bounded: at most 40 sign-ins per worker), so a hash is still
            # running when /healthz returns, however the threads are scheduled.
            for _ in range(40):
                r = self.server.post("/v1/sessions", {"email": new_email(), "password": STRONG,
                                                      "device": new_device()})
                with lock:
                    results.append(r)
                    finished.append(time.monotonic())
                if r.status == 503:
                    shed_seen.set()
                if health_asked.is_set():
                    return

        threads = [threading.Thread(target=sign_ins) for _ in range(6)]
        for t in threads:
            t.start()
        self.assertTrue(shed_seen.wait(30), "the hashing queue never shed")
        health = self.server.get("/healthz")  # answered inline, not queued
        health_done = time.monotonic()
        health_asked.set()
        for t in threads:
            t.join()
        self.assertEqual(health.status, 200)
        # /healthz did not wait behind the hashing: it was answered while
        # the flood's hashes were still running.
        self.assertLess(health_done, max(finished))
        shed = [r for r in results if r.status == 503]
        self.assertTrue(shed, [r.status for r in results])
        self.assertEqual(shed[0].json["code"], "unavailable")
        self.assertGreaterEqual(int(shed[0].headers["Retry-After"]), 1)
        self.assertTrue(all(r.status in (401, 503) for r in results), [r.status for r in results])
        # Shed by the wait, not the count: never more than the clients waited.
        text = self.server.metrics()
        self.assertIn("\ntwostep_hash_queue_limit 1024\n", text)
        self.assertIn("\ntwostep_hash_queue_wait_limit_seconds 0.05\n", text)

if __name__ == "__main__":
    unittest.main()
