"""Mobile push built in (issue 20, SPEC §4 "Push"), against the local fakes
of FCM and APNs in push_fakes.py, which verify what the real services
verify (JWT signatures with the public halves of keys made now, claims and
lifetimes, headers, HTTP/2 over TLS with a test CA, the body schema). A
push wakes the app with a summary and the challenge id; the "app" (this
test) then reads the code from /v1/notifications/pending. No push body and
no log line carries the code."""

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import unittest

from harness import (STRONG, TWOSTEPD, Server, SmtpSink, WsClient, code_in, new_device,
                     new_email)
from push_fakes import FakeApns, FakeFcm, take
from push_keys import make_keys
from test_devices import build_geoip

APNS_TOKEN_A = "a1" * 32
APNS_TOKEN_B = "b2" * 32
FCM_TOKEN_A = "fcm-token-A:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx"
FCM_TOKEN_B = "fcm-token-B:APA91bHun4MxP5egoKMwt2KZFBaFUH-2RYqx"


def push_config(keys, fcm, apns, directory, apns_key=None, timeout_s=10):
    account = fcm.service_account(os.path.join(directory, "service-account.json"))
    return f"""
[push]
fcm_endpoint = "{fcm.url}"
apns_endpoint = "{apns.url}"
ca_file = "{keys['ca.pem']}"
timeout_s = {timeout_s}
[apps.kasa]
fcm_service_account_file = "{account}"
apns_key_file = "{apns_key or keys['apns.p8']}"
apns_key_id = "{apns.key_id}"
apns_team_id = "{apns.team_id}"
apns_topic = "{apns.topic}"
[geoip]
databases = ["{directory}/geoip/nested.mmdb", "{directory}/geoip/flat.mmdb"]
"""


class PushTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="twostep-push-")
        cls.keys = make_keys(cls.dir)
        shutil.copytree(build_geoip(), os.path.join(cls.dir, "geoip"))
        cls.smtp = SmtpSink()

    @classmethod
    def tearDownClass(cls):
        cls.smtp.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.fcm = FakeFcm(self.keys)
        self.apns = FakeApns(self.keys)
        self.addCleanup(self.fcm.stop)
        self.addCleanup(self.apns.stop)

    def start(self, env=None, **kw):
        server = Server(smtp=self.smtp,
                        extra_config=push_config(self.keys, self.fcm, self.apns, self.dir, **kw),
                        env={"TWOSTEP_SERVER_TRUSTED_PROXIES": "127.0.0.1", **(env or {})})
        self.addCleanup(server.stop)
        return server

    # An account with Two-Step on and two trusted phones: an Android phone
    # (FCM) and an iPhone (APNs), each signed in with its device secret.
    def two_phones(self, s):
        email = new_email()
        r = s.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
        s.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                             "code": code_in(self.smtp.wait_for(email))})
        android = new_device("Pixel 8")
        a = s.post("/v1/sessions", {"email": email, "password": STRONG, "device": android}).json
        r = s.post("/v1/account/two-step", {"enabled": True}, token=a["access_token"])
        r = s.post("/v1/account/two-step/verify",
                   {"challenge_id": r.json["challenge_id"],
                    "code": code_in(self.smtp.wait_for(email, subject_contains="Two-Step"))},
                   token=a["access_token"])
        self.assertEqual(r.status, 200, r)
        iphone = new_device("iPhone 15")
        r = s.post("/v1/sessions", {"email": email, "password": STRONG, "device": iphone})
        self.assertEqual(r.status, 202, r)
        code = self.pending_code(s, a["access_token"], r.json["challenge_id"])
        b = s.post(f"/v1/challenges/{r.json['challenge_id']}/verify",
                   {"code": code, "trust_device": True})
        self.assertEqual(b.status, 200, b)
        return email, a["access_token"], b.json["access_token"]

    def phones_answered(self, s, fcm_token, apns_token, mode):
        """Two registered phones whose provider answers their next push
        with `mode`; returns the account's email."""
        email, android, iphone = self.two_phones(s)
        self.android, self.iphone = android, iphone
        self.register(s, android, "fcm", fcm_token)
        self.register(s, iphone, "apns", apns_token)
        self.fcm.modes.set(fcm_token, mode)
        self.apns.modes.set(apns_token, mode)
        return email

    def register(self, s, token, provider, push_token, also_when_live=False):
        r = s.request("PUT", "/v1/devices/current/push",
                      {"provider": provider, "token": push_token, "also_when_live": also_when_live},
                      token=token)
        self.assertEqual(r.status, 204, r)

    def pending_code(self, s, token, challenge_id):
        r = s.get("/v1/notifications/pending", token=token)
        self.assertEqual(r.status, 200, r)
        codes = [n["code"] for n in r.json if n["challenge_id"] == challenge_id]
        self.assertEqual(len(codes), 1, r.json)
        return codes[0]

    def laptop_signs_in(self, s, email, ip="203.0.113.9"):
        r = s.post("/v1/sessions", {"email": email, "password": STRONG,
                                    "device": new_device("Laptop")},
                   headers={"X-Forwarded-For": ip})
        self.assertEqual(r.status, 202, r)
        return r.json["challenge_id"]

    def wait_for_metric(self, s, line, timeout=20):
        """Polls /metrics (bounded) until it has `line`: the fakes record a
        push before twostepd has counted the answer."""
        deadline = time.monotonic() + timeout
        while line not in s.metrics():
            self.assertLess(time.monotonic(), deadline, line)
            time.sleep(0.05)

    def fcm_send(self, token, pred=lambda m: True, timeout=20):
        return take(self.fcm.received, lambda r: r["kind"] == "send" and r["message"] is not None
                    and r["message"]["token"] == token and pred(r), timeout)

    def apns_push(self, token, pred=lambda m: True, timeout=20):
        return take(self.apns.received, lambda r: r["token"] == token and pred(r), timeout)

    def test_a_sign_in_wakes_both_kinds_of_phones_and_no_push_carries_the_code(self):
        s = self.start()
        email, android, iphone = self.two_phones(s)
        self.register(s, android, "fcm", FCM_TOKEN_A)
        self.register(s, iphone, "apns", APNS_TOKEN_A)
        challenge_id = self.laptop_signs_in(s, email)

        f = self.fcm_send(FCM_TOKEN_A)
        self.assertEqual(f["status"], 200, f)
        m = f["message"]
        self.assertEqual(m["data"], {"type": "sign_in_request", "challenge_id": challenge_id})
        self.assertEqual(m["android"]["notification"],
                         {"title": "Sign-in request", "body": "Sign-in request from Laptop near London",
                          "tag": challenge_id})
        self.assertEqual(m["android"]["collapse_key"], challenge_id)
        self.assertLessEqual(int(m["android"]["ttl"][:-1]), 600)

        p = self.apns_push(APNS_TOKEN_A)
        self.assertEqual(p["status"], 200, p)
        h = p["headers"]
        self.assertEqual(h["apns-push-type"], "alert")
        self.assertEqual(h["apns-topic"], self.apns.topic)
        self.assertEqual(h["apns-collapse-id"], challenge_id)
        expires_in = int(h["apns-expiration"]) - time.time()
        self.assertTrue(590 <= expires_in <= 601, expires_in)  # the challenge's expiry
        body = json.loads(p["body"])
        self.assertEqual(body["challenge_id"], challenge_id)
        self.assertEqual(body["aps"]["alert"]["body"], "Sign-in request from Laptop near London")

        # The apps read the code over their own authenticated channel.
        code = self.pending_code(s, iphone, challenge_id)
        self.assertEqual(self.pending_code(s, android, challenge_id), code)
        self.assertNotIn(code, f["body"])
        self.assertNotIn(code, p["body"])
        r = s.post(f"/v1/challenges/{challenge_id}/verify", {"code": code})
        self.assertEqual(r.status, 200, r)

        # challenge_resolved: a silent push that clears the banner.
        f = self.fcm_send(FCM_TOKEN_A, lambda r: r["message"]["data"]["type"] == "challenge_resolved")
        self.assertEqual(f["message"]["data"]["outcome"], "verified")
        self.assertNotIn("notification", f["message"]["android"])
        p = self.apns_push(APNS_TOKEN_A, lambda r: r["headers"]["apns-push-type"] == "background")
        self.assertEqual(p["status"], 200, p)
        self.assertEqual(json.loads(p["body"])["outcome"], "verified")
        self.assertEqual(p["headers"]["apns-priority"], "5")
        for text in (s.logs_flushed(), s.metrics()):
            self.assertNotIn(code, text)
            self.assertNotIn(FCM_TOKEN_A, text)
            self.assertNotIn(APNS_TOKEN_A, text)
        self.assertEqual(self.apns.connections, 1)  # one HTTP/2 connection, reused
        self.assertEqual(self.fcm.token_grants, 1)  # the access token is cached
        self.wait_for_metric(s, 'twostep_push_sent_total{provider="fcm"} 2')
        self.wait_for_metric(s, 'twostep_push_sent_total{provider="apns"} 2')
        self.wait_for_metric(s, 'twostep_push_seconds_count{provider="apns"} 2')

    def test_a_gone_token_is_forgotten(self):
        s = self.start()
        email = self.phones_answered(s, FCM_TOKEN_B, APNS_TOKEN_B, "gone")
        self.laptop_signs_in(s, email)
        self.assertEqual(self.fcm_send(FCM_TOKEN_B)["mode"], "gone")
        self.assertEqual(self.apns_push(APNS_TOKEN_B)["mode"], "gone")
        deadline = time.monotonic() + 20
        while s.query("SELECT COUNT(*) FROM push_tokens") != [["0"]]:
            self.assertLess(time.monotonic(), deadline, "the gone tokens were not forgotten")
            time.sleep(0.05)
        self.wait_for_metric(s, 'twostep_push_fcm_failed_total{reason="token_gone"} 1')
        self.wait_for_metric(s, 'twostep_push_apns_failed_total{reason="token_gone"} 1')
        # FCM's other word for it: INVALID_ARGUMENT about message.token.
        self.register(s, self.android, "fcm", FCM_TOKEN_A)
        self.fcm.modes.set(FCM_TOKEN_A, "invalid")
        self.laptop_signs_in(s, email)
        self.assertEqual(self.fcm_send(FCM_TOKEN_A)["mode"], "invalid")
        self.wait_for_metric(s, 'twostep_push_fcm_failed_total{reason="token_gone"} 2')
        self.assertEqual(s.query("SELECT COUNT(*) FROM push_tokens"), [["0"]])

    def test_a_resend_collapses_onto_the_same_banner(self):
        s = self.start(env={"TWOSTEP_SECURITY_RESEND_COOLDOWN_S": "0"})
        email, android, iphone = self.two_phones(s)
        self.register(s, android, "fcm", FCM_TOKEN_A)
        self.register(s, iphone, "apns", APNS_TOKEN_A)
        challenge_id = self.laptop_signs_in(s, email)
        first_apns = self.apns_push(APNS_TOKEN_A)
        first_fcm = self.fcm_send(FCM_TOKEN_A)
        r = s.post(f"/v1/challenges/{challenge_id}/resend", {"method": "app"})
        self.assertEqual(r.status, 200, r)
        again_apns = self.apns_push(APNS_TOKEN_A)
        again_fcm = self.fcm_send(FCM_TOKEN_A)
        self.assertEqual(again_apns["headers"]["apns-collapse-id"], challenge_id)
        self.assertEqual(first_apns["headers"]["apns-collapse-id"], challenge_id)
        self.assertEqual(again_fcm["message"]["android"]["notification"]["tag"],
                         first_fcm["message"]["android"]["notification"]["tag"])
        self.assertEqual(again_fcm["message"]["android"]["collapse_key"], challenge_id)
        code = self.pending_code(s, android, challenge_id)
        self.assertNotIn(code, again_apns["body"] + again_fcm["body"])

    def test_rate_limits_and_server_errors_are_retried_after_retry_after(self):
        s = self.start()
        email = self.phones_answered(s, FCM_TOKEN_A, APNS_TOKEN_A, "429")
        self.laptop_signs_in(s, email)
        first = self.fcm_send(FCM_TOKEN_A)
        again = self.fcm_send(FCM_TOKEN_A)
        self.assertEqual((first["mode"], again["mode"]), ("429", "ok"))
        self.assertGreaterEqual(again["at"] - first["at"], 1.9)  # Retry-After: 2
        first = self.apns_push(APNS_TOKEN_A)
        again = self.apns_push(APNS_TOKEN_A)
        self.assertEqual((first["mode"], again["mode"]), ("429", "ok"))
        self.assertGreaterEqual(again["at"] - first["at"], 1.9)
        # 5xx: retried with back-off.
        self.apns.modes.set(APNS_TOKEN_A, "500")
        self.laptop_signs_in(s, email)
        self.assertEqual(self.apns_push(APNS_TOKEN_A)["mode"], "500")
        self.assertEqual(self.apns_push(APNS_TOKEN_A)["mode"], "ok")
        self.wait_for_metric(s, 'twostep_push_apns_failed_total{reason="rate_limited"} 1')
        self.wait_for_metric(s, 'twostep_push_apns_failed_total{reason="server_error"} 1')

    def test_a_hanging_provider_does_not_slow_sign_ins(self):
        s = self.start(timeout_s=60)
        email, android, iphone = self.two_phones(s)

        def sign_in_latencies(n):
            out = []
            for _ in range(n):
                t0 = time.monotonic()
                self.laptop_signs_in(s, email)
                out.append(time.monotonic() - t0)
            return out

        before = sign_in_latencies(3)  # no tokens registered: no push at all
        self.register(s, android, "fcm", FCM_TOKEN_A)
        self.register(s, iphone, "apns", APNS_TOKEN_A)
        self.fcm.modes.set(FCM_TOKEN_A, "hang")
        self.apns.modes.set(APNS_TOKEN_A, "hang")
        during = sign_in_latencies(1)
        # Both providers now hold a request without answering ...
        self.assertEqual(self.fcm_send(FCM_TOKEN_A)["mode"], "hang")
        self.assertEqual(self.apns_push(APNS_TOKEN_A)["mode"], "hang")
        during += sign_in_latencies(4)  # ... while more sign-ins queue pushes behind them
        self.assertLess(max(during), 2.0, during)
        self.assertLess(statistics.median(during), statistics.median(before) + 0.5, (before, during))

    def test_a_live_device_is_pushed_only_when_it_asked_for_both(self):
        s = self.start()
        email, android, iphone = self.two_phones(s)
        # Both phones FCM (one queue, in order), both live on the WebSocket.
        self.register(s, android, "fcm", FCM_TOKEN_A, also_when_live=False)
        self.register(s, iphone, "fcm", FCM_TOKEN_B, also_when_live=True)
        sockets = []
        for token in (android, iphone):
            ws = WsClient(s)
            ws.auth(token)
            sockets.append(ws)
            self.addCleanup(ws.close)
        challenge_id = self.laptop_signs_in(s, email)
        for ws in sockets:
            self.assertEqual(ws.recv()["challenge_id"], challenge_id)
        # One dispatch thread and one FCM queue, in the order of the
        # devices: a push to the Android phone would arrive before this one.
        seen = []
        got = take(self.fcm.received, lambda r: seen.append(r) or (
            r["kind"] == "send" and r["message"]["token"] == FCM_TOKEN_B))
        self.assertEqual(got["message"]["data"]["challenge_id"], challenge_id)
        self.assertEqual([r for r in seen if r["kind"] == "send"], [got])  # none to A
        self.wait_for_metric(s, 'twostep_push_skipped_total{reason="live"} 1')

    def test_registration_rules(self):
        s = self.start()
        email, android, iphone = self.two_phones(s)
        put = lambda body, token=android: s.request("PUT", "/v1/devices/current/push", body, token=token)
        self.assertEqual(put({"provider": "fcm", "token": FCM_TOKEN_A}, token=None).status, 401)
        for bad in ({"provider": "gcm", "token": FCM_TOKEN_A}, {"provider": "apns", "token": "xyz"},
                    {"provider": "fcm", "token": "has space"}, {"token": FCM_TOKEN_A},
                    {"provider": "fcm", "token": FCM_TOKEN_A, "also_when_live": "yes"}):
            r = put(bad)
            self.assertEqual((r.status, r.json["code"]), (400, "invalid_request"), (bad, r))
        self.assertEqual(s.query("SELECT COUNT(*) FROM push_tokens"), [["0"]])
        # Re-registration replaces; the token is never shown back.
        self.register(s, android, "fcm", FCM_TOKEN_A)
        self.register(s, android, "apns", APNS_TOKEN_A)
        self.assertEqual(s.query("SELECT provider, token FROM push_tokens"), [["apns", APNS_TOKEN_A]])
        for path in ("/v1/account/trusted-devices", "/v1/account", "/v1/account/security"):
            self.assertNotIn(APNS_TOKEN_A, s.get(path, token=android).raw)
        # DELETE removes it; sign-out drops the other phone's.
        self.assertEqual(s.request("DELETE", "/v1/devices/current/push", token=android).status, 204)
        self.register(s, iphone, "fcm", FCM_TOKEN_B)
        self.assertEqual(s.query("SELECT token FROM push_tokens"), [[FCM_TOKEN_B]])
        self.assertEqual(s.request("DELETE", "/v1/sessions/current", token=iphone).status, 204)
        self.assertEqual(s.query("SELECT COUNT(*) FROM push_tokens"), [["0"]])

    def test_a_key_the_service_does_not_know_is_refused_by_the_fake(self):
        s = self.start(apns_key=self.keys["other.p8"])
        email, android, iphone = self.two_phones(s)
        self.register(s, iphone, "apns", APNS_TOKEN_A)
        self.laptop_signs_in(s, email)
        p = self.apns_push(APNS_TOKEN_A)
        self.assertEqual((p["status"], p["reason"]), (403, "InvalidProviderToken"))

    def test_a_malformed_key_file_stops_the_start_with_a_clear_error(self):
        bad = os.path.join(self.dir, "bad.p8")
        with open(bad, "w") as f:
            f.write("-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n")
        for key, why in ((bad, "no PEM private key in it"),
                         (self.keys["fcm.pem"], "not a P-256 EC private key")):
            config = os.path.join(self.dir, "bad.toml")
            with open(config, "w") as f:
                f.write(f'data_dir = "{self.dir}/var"\n[server]\nlisten = "127.0.0.1:0"\n'
                        f'management_listen = ""\n[apps.kasa]\napns_key_file = "{key}"\n'
                        'apns_key_id = "ABC123DEFG"\napns_team_id = "TEAM123456"\n'
                        'apns_topic = "com.example.kasa"\n')
            r = subprocess.run([TWOSTEPD, "--config", config], capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 2, r)
            self.assertIn("configuration error: apps.kasa.apns_key_file", r.stderr)
            self.assertIn(why, r.stderr)
            self.assertNotIn("not base64 at all", r.stderr)


if __name__ == "__main__":
    unittest.main()
