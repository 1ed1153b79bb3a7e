"""Process life cycle: the embedded default (mail to files), graceful
SIGTERM, and a kill -9 never leaving a half-written account."""

import glob
import json
import os
import threading
import time
import unittest

from harness import STRONG, Server, new_email


class LifecycleTest(unittest.TestCase):
    def test_file_mail_and_graceful_shutdown(self):
        server = Server()
        try:
            self.assertEqual(server.get("/healthz").json, {"status": "ok"})
            email = new_email()
            r = server.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
            self.assertEqual(r.status, 202, r)
            self.assertEqual(server.terminate(), 0)
            # The outbox was flushed before exit: the mail is a file now.
            files = glob.glob(os.path.join(server.dir, "var", "mail", "*.eml"))
            self.assertEqual(len(files), 1, files)
            with open(files[0]) as f:
                self.assertIn(email, f.read())
            key = os.path.join(server.dir, "var", "server.key")
            self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)
        finally:
            server.stop()

    def test_kill_during_registrations_leaves_no_half_written_account(self):
        server = Server()
        try:
            acknowledged = []
            progress = threading.Condition()
            stop = threading.Event()

            def register_loop():
                for i in range(200):
                    if stop.is_set():
                        return
                    email = new_email()
                    try:
                        r = server.post("/v1/accounts",
                                        {"email": email, "password": STRONG, "app": "kasa"})
                    except OSError:
                        return
                    if r.status == 202:
                        with progress:
                            acknowledged.append(email)
                            progress.notify_all()

            threads = [threading.Thread(target=register_loop) for _ in range(4)]
            for t in threads:
                t.start()
            # Kill once some registrations were acknowledged, mid-traffic.
            with progress:
                self.assertTrue(progress.wait_for(lambda: len(acknowledged) >= 8, timeout=120))
            server.kill()
            stop.set()
            for t in threads:
                t.join()
            if server.backend == "sqlite":
                self.assertEqual(server.query("PRAGMA integrity_check"), [["ok"]])
            emails = {row[0] for row in server.query("SELECT email FROM accounts")}
            for e in acknowledged:
                self.assertIn(e, emails)
            # Every account has its challenge and its queued or sent mail:
            # nothing half-written.
            orphans = server.query(
                "SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS"
                " (SELECT 1 FROM challenges c WHERE c.account_id = a.id)")
            self.assertEqual(orphans, [["0"]])
            # It starts again on the same store.
            server.start()
            self.assertEqual(server.get("/healthz").status, 200)
        finally:
            server.stop()


class RequestLogTest(unittest.TestCase):
    """Request lines are buffered (issue #18): written at least every second
    without other activity, all of them at SIGTERM, each whole."""

    def request_lines(self, server):
        lines = [json.loads(line) for line in server.logs().splitlines()]  # each line whole JSON
        return [line["request_id"] for line in lines if line.get("event") == "request"]

    def test_lines_arrive_within_the_flush_period_and_none_is_lost_at_exit(self):
        server = Server()
        try:
            ids = [server.get("/healthz").headers["X-Request-Id"] for _ in range(20)]
            end = time.monotonic() + 3  # the flush period is 1 s
            while not set(ids) <= set(self.request_lines(server)) and time.monotonic() < end:
                time.sleep(0.02)  # polling the file with a bound
            self.assertLessEqual(set(ids), set(self.request_lines(server)))
            more = [server.get("/healthz").headers["X-Request-Id"] for _ in range(300)]
            self.assertEqual(server.terminate(), 0)
            written = self.request_lines(server)
            for rid in ids + more:
                self.assertEqual(written.count(rid), 1, rid)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
