"""The management listener (issue #23, item 3): /metrics only there, since
its mail and code counters move only for addresses that have an account;
/healthz on both listeners; off when server.management_listen is empty."""

import os
import re
import shutil
import tempfile
import unittest

from harness import Server


def listening_ports(pid):
    """TCP ports the process `pid` listens on (from /proc: sockets it holds
    that the kernel lists in state LISTEN)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            m = re.match(r"socket:\[(\d+)\]$", os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
        if m:
            inodes.add(m.group(1))
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                cols = line.split()
                if cols[3] == "0A" and cols[9] in inodes:
                    ports.append(int(cols[1].rsplit(":", 1)[1], 16))
    return sorted(ports)


class ManagementListenerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A web app: its fallback answers every extension-less path with
        # index.html, and must not do so for /metrics.
        cls.web = tempfile.mkdtemp(prefix="twostep-web-")
        with open(os.path.join(cls.web, "index.html"), "w") as f:
            f.write("<!doctype html><title>app</title>")
        cls.server = Server(extra_config=f'[web]\ndir = "{cls.web}"\n')

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.web, ignore_errors=True)

    def test_public_metrics_is_404_like_an_unknown_path(self):
        s = self.server
        self.assertEqual(s.get("/v1/account/security").status, 401)  # some traffic to count
        r = s.get("/metrics")
        unknown = s.get("/v1/no-such-thing")
        self.assertEqual(r.status, 404, r)
        self.assertEqual(r.headers["Content-Type"], "application/problem+json")
        self.assertEqual(r.json, unknown.json)
        self.assertNotIn("twostep_", r.raw)
        self.assertEqual(s.request("HEAD", "/metrics").status, 404)
        self.assertEqual(s.get("/some/app/screen").status, 200)  # the web app's fallback still works

    def test_management_listener_serves_prometheus_text(self):
        s = self.server
        self.assertNotEqual(s.management_port, s.port)
        r = s.management_get("/metrics")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("text/plain; version=0.0.4"), r.headers)
        self.assertIn("# TYPE twostep_http_requests_total counter", r.raw)
        self.assertIn('route="/healthz"', s.metrics())

    def test_the_queues_are_gauges(self):
        # What the operators' alerts watch (docs/OPERATIONS.md): the
        # requests waiting for a hashing or a work thread, and the bounds
        # beyond which they are shed with 503.
        text = self.server.metrics()
        for gauge in ("hash_queue_waiting", "hash_queue_limit", "work_queue_waiting",
                      "work_queue_limit", "hash_queue_expected_wait_seconds",
                      "hash_queue_wait_limit_seconds"):
            self.assertIn(f"# TYPE twostep_{gauge} gauge", text)
            self.assertRegex(text, rf"\ntwostep_{gauge} [\d.e+-]+\n")
        self.assertIn("\ntwostep_hash_queue_limit 64\n", text)
        self.assertIn("\ntwostep_hash_queue_wait_limit_seconds 0\n", text)

    def test_healthz_answers_on_both_listeners(self):
        s = self.server
        for r in (s.get("/healthz"), s.management_get("/healthz")):
            self.assertEqual((r.status, r.json), (200, {"status": "ok"}))

    def test_management_listener_serves_nothing_else(self):
        s = self.server
        for path in ("/v1/openapi.json", "/some/app/screen", "/"):
            self.assertEqual(s.management_get(path).status, 404, path)
        self.assertEqual(s.request("POST", "/v1/accounts", body={}, port=s.management_port).status, 404)

    def test_both_addresses_listen_and_the_management_one_is_logged(self):
        s = self.server
        self.assertEqual(listening_ports(s.proc.pid), sorted([s.port, s.management_port]))
        self.assertEqual(len(re.findall(r'"event":"management_listening"', s.logs())), 1)
        self.assertIn(f'"url":"http://127.0.0.1:{s.management_port}"', s.logs())


class ManagementOffTest(unittest.TestCase):
    def test_empty_management_listen_turns_it_off(self):
        server = Server(env={"TWOSTEP_SERVER_MANAGEMENT_LISTEN": ""})
        try:
            self.assertIsNone(server.management_port)
            self.assertNotIn("management_listening", server.logs())
            self.assertEqual(listening_ports(server.proc.pid), [server.port])
            self.assertEqual(server.get("/healthz").status, 200)
            self.assertEqual(server.get("/metrics").status, 404)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
