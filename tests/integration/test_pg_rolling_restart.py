"""A rolling restart under load (issue #22): two instances on one PostgreSQL
database behind the project's nginx example (docs/examples/nginx.conf, run
as test_pg_nginx.py runs it), trusted devices connected through nginx as
the apps connect (reconnect with back-off after a close, then read
/v1/notifications/pending), and sign-ins running all along. Each instance
in turn gets SIGTERM and is started again. Counted and printed: sign-ins
that failed (a 503 the client retries is fine, anything else is not), codes
that never reached a live device, devices that were not back within 5 s."""

import asyncio
import concurrent.futures
import json
import os
import random
import re
import socket
import threading
import time
import unittest

from harness import STRONG, Response, PgDatabase, Server, SmtpSink, code_in, new_device, new_email
from test_pg_nginx import NGINX, Nginx
from test_pg_multi_instance import shared_keys_file

RECONNECT_S = 5      # a device back later than this counts as not reconnected
CODE_WAIT_S = 5      # a code later than this counts as lost
ACCOUNTS = 12        # 10 sign-in challenges per account per hour (SPEC §2)
SIGN_INS_PER_ACCOUNT = 9


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Device:
    """One account's trusted device as an app runs it: a WebSocket through
    nginx that reconnects after any close (jittered back-off, first try
    within 0.5 s, as domain/reconnect_backoff.h) and reads the pending list
    after each ready."""

    def __init__(self, lb, email, token):
        self.lb, self.email, self.token = lb, email, token
        self.codes = {}                # challenge id -> code
        self.changed = threading.Condition()
        self.lost_at = None            # when the connection last ended
        self.reconnect_s = []          # time from each end to the next ready
        self.close_codes = []
        self.ready = threading.Event()

    def got_code(self, message):
        with self.changed:
            self.codes[message["challenge_id"]] = message["code"]
            self.changed.notify_all()

    def wait_code(self, challenge_id, timeout):
        with self.changed:
            self.changed.wait_for(lambda: challenge_id in self.codes, timeout)
            return self.codes.get(challenge_id)

    async def run(self, stop):
        import websockets
        attempt = 0
        url = f"ws://{self.lb.host}:{self.lb.port}/v1/notifications"
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            try:
                async with websockets.connect(url, open_timeout=5) as ws:
                    await ws.send(json.dumps({"type": "auth", "token": self.token}))
                    first = json.loads(await asyncio.wait_for(ws.recv(), 5))
                    if first["type"] == "ready":
                        if self.lost_at is not None:
                            self.reconnect_s.append(time.monotonic() - self.lost_at)
                            self.lost_at = None
                        attempt = 0
                        self.ready.set()
                        pending = await loop.run_in_executor(
                            None, lambda: self.lb.get("/v1/notifications/pending",
                                                      token=self.token))
                        if pending.status == 200:
                            for m in pending.json:
                                self.got_code(m)
                        async for raw in ws:
                            m = json.loads(raw)
                            if m["type"] == "verification_code":
                                self.got_code(m)
                    self.close_codes.append(ws.close_code)
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
                pass
            if self.lost_at is None and self.ready.is_set():
                self.lost_at = time.monotonic()
            self.ready.clear()
            window = min(0.5 * 2 ** attempt, 30)
            attempt += 1
            await asyncio.sleep(window / 2 + random.random() * window / 2)  # the app's back-off


@unittest.skipUnless(os.path.exists(NGINX), "nginx is not installed")
class RollingRestartTest(unittest.TestCase):
    def setUp(self):
        self.smtp = SmtpSink()
        self.db = PgDatabase()
        self.keys = keys = shared_keys_file()
        self.servers = [
            Server(smtp=self.smtp, database=self.db, keys_file=keys,
                   env={"TWOSTEP_SERVER_LISTEN": f"127.0.0.1:{free_port()}"},
                   server_config='trusted_proxies = ["127.0.0.1"]')
            for _ in range(2)]
        self.lb = Nginx([s.port for s in self.servers])
        self.stop = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.loop_thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.loop_thread.start()
        self.tasks = []

    def tearDown(self):
        self.stop.set()
        for task in self.tasks:
            task.cancel()
        concurrent.futures.wait(self.tasks, timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.loop_thread.join(10)
        self.lb.stop()
        for s in self.servers:
            s.stop()
        self.db.drop()
        self.smtp.stop()

    def trusted_device(self):
        email, phone = new_email(), new_device("Phone", app="aginet")
        r = self.lb.post("/v1/accounts", {"email": email, "password": STRONG, "app": "aginet",
                                          "device": phone})
        self.assertEqual(r.status, 202, r)
        r = self.lb.post("/v1/accounts/verify-email",
                         {"challenge_id": r.json["challenge_id"],
                          "code": code_in(self.smtp.wait_for(email))})
        self.assertEqual(r.status, 200, r)
        r = self.lb.post("/v1/sessions", {"email": email, "password": STRONG, "device": phone,
                                          "device_secret": r.json["device_secret"]})
        self.assertEqual(r.status, 200, r)
        device = Device(self.lb, email, r.json["access_token"])
        self.tasks.append(asyncio.run_coroutine_threadsafe(device.run(self.stop), self.loop))
        self.assertTrue(device.ready.wait(10), "device not connected")
        return device

    def post_retrying_503(self, path, body):
        """A client's retry of 503 + Retry-After (bounded). An answer that
        is not twostepd's (nginx's 502) is returned as it is, unchecked."""
        for _ in range(50):
            try:
                r = self.lb.post(path, body)
            except AssertionError as e:  # the OpenAPI check of an answer from nginx
                return Response(0, {}, str(e))
            if r.status != 503:
                return r
            time.sleep(0.1)  # the client's retry delay, not a synchronisation
        return r

    def sign_in_with_code(self, device, counts):
        r = self.post_retrying_503("/v1/sessions", {"email": device.email, "password": STRONG,
                                                    "device": new_device("Laptop")})
        if r.status != 202:
            counts["failed"] += 1
            counts["failures"].append(f"sign-in {r.status} {r.raw[:120]}")
            return
        challenge_id = r.json["challenge_id"]
        code = device.wait_code(challenge_id, CODE_WAIT_S)
        if code is None:
            counts["lost"] += 1
            return
        r = self.post_retrying_503(f"/v1/challenges/{challenge_id}/verify",
                                   {"code": code, "trust_device": False})
        if r.status != 200:
            counts["failed"] += 1
            counts["failures"].append(f"verify {r.status} {r.raw[:120]}")
        else:
            counts["ok"] += 1

    def rolling_restarts_under_traffic(self, stages, label):
        """Sign-ins run while, for each stage, every instance in turn gets
        SIGTERM, `stage(server)` (may rewrite its configuration) and a
        start. Prints and checks the counts."""
        devices = [self.trusted_device() for _ in range(ACCOUNTS)]
        counts = {"ok": 0, "failed": 0, "lost": 0, "failures": []}
        done, restarts_over = threading.Event(), threading.Event()

        restarted = threading.Condition()
        restarts_done = [0]

        def traffic():
            # One round of sign-ins (one per account) per restart, so that
            # every restart happens with sign-ins in flight, and one round
            # after the last; within the 10 challenges an account may have
            # per hour.
            for round_ in range(SIGN_INS_PER_ACCOUNT):
                with restarted:
                    restarted.wait_for(lambda: restarts_done[0] >= round_
                                       or restarts_over.is_set(), timeout=60)
                if round_ > restarts_done[0] and restarts_over.is_set():
                    break
                for device in devices:
                    self.sign_in_with_code(device, counts)
            done.set()

        worker = threading.Thread(target=traffic)
        worker.start()
        restarts = []
        try:
            for stage in stages:
                for server in self.servers:
                    progress = counts["ok"] + counts["failed"] + counts["lost"]
                    while (counts["ok"] + counts["failed"] + counts["lost"] < progress + 5
                           and not done.is_set()):
                        time.sleep(0.05)  # polling progress; the traffic itself is bounded
                    started = time.monotonic()
                    self.assertEqual(server.terminate(), 0)
                    restarts.append(time.monotonic() - started)
                    stage(server)
                    mark = len(server.logs())
                    server.start()
                    # As an operator does (docs/OPERATIONS.md): the next
                    # instance is stopped only once nginx sends this one
                    # traffic again (after fail_timeout); otherwise both are
                    # "down" for nginx. The probe is the operator's health
                    # check through nginx: the sign-ins may be waiting for
                    # this very restart to be over (one round per restart),
                    # and then they would never show that it is back.
                    end = time.monotonic() + 30
                    while ('"event":"request"' not in server.logs()[mark:]
                           and not done.is_set() and time.monotonic() < end):
                        try:
                            self.lb.get("/healthz")
                        except AssertionError:  # nginx's own 502 while both look down
                            pass
                        time.sleep(0.05)  # the probe's interval, not a synchronisation
                    with restarted:
                        restarts_done[0] += 1
                        restarted.notify_all()
        finally:
            with restarted:
                restarts_over.set()
                restarted.notify_all()
            worker.join(300)
        end = time.monotonic() + RECONNECT_S + 1
        while not all(d.ready.is_set() for d in devices) and time.monotonic() < end:
            time.sleep(0.05)
        slow = sum(1 for d in devices for s in d.reconnect_s if s > RECONNECT_S)
        not_back = sum(1 for d in devices if not d.ready.is_set())
        reconnects = [s for d in devices for s in d.reconnect_s]
        print(f"\n{label}: {counts['ok']} sign-ins ok, {counts['failed']} failed, "
              f"{counts['lost']} codes lost; {len(reconnects)} reconnects, "
              f"slowest {max(reconnects, default=0):.2f} s, {slow + not_back} not back "
              f"within {RECONNECT_S} s; exits took "
              + ", ".join(f"{s:.2f} s" for s in restarts))
        for f in counts["failures"][:5]:
            print("  ", f)
        if counts["failures"]:
            # What marked an instance down comes first; the "no live
            # upstreams" that follow only say that both were.
            with open(os.path.join(self.lb.dir, "error.log")) as f:
                lines = [line for line in f if "upstream" in line]
            causes = [line for line in lines if "no live upstreams" not in line]
            print(f"nginx: {len(lines) - len(causes)} 'no live upstreams'; the first others:\n"
                  + "".join(causes[:10]))
        self.assertEqual(counts["failed"], 0, counts["failures"][:5])
        self.assertEqual(counts["lost"], 0)
        self.assertEqual(slow + not_back, 0)
        self.assertGreater(len(reconnects), 0, "no device was moved by the restarts")
        self.assertTrue(all(c == 1012 for d in devices for c in d.close_codes),
                        [d.close_codes for d in devices])

    def test_rolling_restart_loses_no_sign_in_and_no_code(self):
        self.rolling_restarts_under_traffic([lambda server: None], "rolling restart")

    def test_key_rotation_mid_traffic_breaks_no_open_challenge(self):
        """docs/OPERATIONS.md "Server keys": first every instance learns the
        new pair as an extra one, then every instance makes codes with it and
        keeps the old one for the challenges still open."""
        old = self.keys
        new = shared_keys_file()

        def config_with(keys_file, extra):
            def stage(server):
                with open(server.config_path) as f:
                    text = f.read()
                text = re.sub(r'keys_file = "[^"]*"\n(extra_keys_files = .*\n)?',
                              f'keys_file = "{keys_file}"\n'
                              f'extra_keys_files = {json.dumps(extra)}\n', text)
                with open(server.config_path, "w") as f:
                    f.write(text)
            return stage

        self.rolling_restarts_under_traffic(
            [config_with(old, [new]), config_with(new, [old])], "key rotation")
        # The database records the new pair now, and challenges of both.
        ids = {row[0] for row in self.servers[0].query(
            "SELECT DISTINCT key_id FROM challenges WHERE purpose = 'sign_in'")}
        self.assertEqual(len(ids), 2, ids)


if __name__ == "__main__":
    unittest.main()
