"""Trusted Devices, instant sign-out and Login Activity with locations from
a small MaxMind database the suite builds (tests/geoip/make_test_mmdb.pl)."""

import json
import os
import socket
import subprocess
import tempfile
import unittest

from harness import STRONG, Server, SmtpSink, WsClient, code_in, new_device, new_email

HERE = os.path.dirname(os.path.abspath(__file__))


def build_geoip():
    out = tempfile.mkdtemp(prefix="twostep-geoip-")
    subprocess.run(["perl", os.path.join(HERE, "..", "geoip", "make_test_mmdb.pl"), out], check=True)
    return out


class DevicesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.geo = build_geoip()
        cls.smtp = SmtpSink()
        cls.server = Server(smtp=cls.smtp, extra_config=f"""
[geoip]
databases = ["{cls.geo}/nested.mmdb", "{cls.geo}/flat.mmdb"]
""", env={"TWOSTEP_SERVER_TRUSTED_PROXIES": "127.0.0.1"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()

    def post_from(self, ip, path, body, token=None):
        return self.server.post(path, body, token=token, headers={"X-Forwarded-For": ip})

    def two_step_account(self):
        s = self.server
        email = new_email()
        r = s.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
        s.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                             "code": code_in(self.smtp.wait_for(email))})
        phone = new_device("Phone A")
        a = self.post_from("198.51.100.4", "/v1/sessions",
                           {"email": email, "password": STRONG, "device": phone}).json
        r = s.post("/v1/account/two-step", {"enabled": True}, token=a["access_token"])
        s.post("/v1/account/two-step/verify",
               {"challenge_id": r.json["challenge_id"],
                "code": code_in(self.smtp.wait_for(email, subject_contains="Two-Step"))},
               token=a["access_token"])
        return email, phone, a

    def trust_laptop(self, email, ws):
        laptop = new_device("Laptop B")
        r = self.post_from("203.0.113.9", "/v1/sessions",
                           {"email": email, "password": STRONG, "device": laptop})
        self.assertEqual(r.status, 202, r)
        code = ws.recv()["code"]
        r = self.server.post(f"/v1/challenges/{r.json['challenge_id']}/verify",
                             {"code": code, "trust_device": True})
        self.assertEqual(r.status, 200, r)
        ws.recv()  # challenge_resolved
        return laptop, r.json

    def test_removing_a_device_signs_it_out_everywhere_at_once(self):
        s = self.server
        email, phone, a = self.two_step_account()
        ws_a = WsClient(s)
        ws_a.auth(a["access_token"])
        laptop, b = self.trust_laptop(email, ws_a)
        ws_b = WsClient(s)
        self.assertEqual(ws_b.auth(b["access_token"])["type"], "ready")

        r = s.get("/v1/account/trusted-devices", token=a["access_token"])
        self.assertEqual(r.status, 200, r)
        by_id = {d["id"]: d for d in r.json}
        self.assertEqual(set(by_id), {phone["id"], laptop["id"]})
        self.assertTrue(by_id[phone["id"]]["current"])
        self.assertFalse(by_id[laptop["id"]]["current"])
        self.assertEqual(by_id[laptop["id"]]["location"],
                         {"city": "London", "region": "England", "country": "United Kingdom",
                          "country_code": "GB", "latitude": 51.5, "longitude": -0.1})
        # The phone was last seen turning two-step on from loopback: Unknown.
        self.assertIsNone(by_id[phone["id"]]["location"])

        r = s.request("DELETE", f"/v1/account/trusted-devices/{laptop['id']}", token=a["access_token"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(ws_b.recv(), {"type": "signed_out", "reason": "device_removed"})
        self.assertTrue(ws_b.wait_closed())
        self.assertEqual(s.get("/v1/account", token=b["access_token"]).status, 401)
        self.assertEqual(s.post("/v1/sessions/refresh", {"refresh_token": b["refresh_token"]}).status, 401)
        r = s.post("/v1/sessions", {"email": email, "password": STRONG, "device": laptop,
                                    "device_secret": b["device_secret"]})
        self.assertEqual(r.status, 202, r)  # its secret is void: challenged again
        self.assertEqual(ws_a.recv()["type"], "verification_code")
        r = s.request("DELETE", f"/v1/account/trusted-devices/{laptop['id']}", token=a["access_token"])
        self.assertEqual(r.status, 404, r)
        ws_a.close()
        ws_b.close()

    def test_removing_the_current_device_signs_the_caller_out(self):
        email, phone, a = self.two_step_account()
        r = self.server.request("DELETE", f"/v1/account/trusted-devices/{phone['id']}",
                                token=a["access_token"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.server.get("/v1/account", token=a["access_token"]).status, 401)

    def test_login_activity_pages_without_repeats_or_gaps(self):
        s = self.server
        email, phone, a = self.two_step_account()
        token = a["access_token"]
        for _ in range(4):  # some failures and successes
            self.post_from("203.0.113.9", "/v1/sessions",
                           {"email": email, "password": "wrong password 123", "device": phone})
        first = s.get("/v1/account/login-activity?limit=3", token=token).json
        self.assertEqual(len(first), 3)
        newest = first[0]
        self.assertEqual(newest["event"], "sign_in")
        self.assertEqual(newest["outcome"], "failed")
        self.assertEqual(newest["ip"], "203.0.113.9")
        self.assertEqual(newest["location"]["city"], "London")
        self.assertEqual(newest["device"]["name"], "Phone A")
        seen = [e["id"] for e in first]
        before = seen[-1]
        while True:
            # New events keep arriving while we page.
            self.post_from("203.0.113.9", "/v1/sessions",
                           {"email": email, "password": "wrong password 123", "device": phone})
            page = s.get(f"/v1/account/login-activity?limit=3&before={before}", token=token).json
            if not page:
                break
            seen += [e["id"] for e in page]
            before = page[-1]["id"]
        self.assertEqual(seen, sorted(seen, reverse=True))
        self.assertEqual(len(seen), len(set(seen)))
        everything = s.get("/v1/account/login-activity?limit=100", token=token).json
        snapshot = [e["id"] for e in everything if e["id"] <= first[0]["id"]]
        self.assertEqual(seen, snapshot)
        for bad in ["limit=0", "limit=abc", "before=-1", "limit=101"]:
            self.assertEqual(s.get(f"/v1/account/login-activity?{bad}", token=token).status, 400, bad)

    def test_forwarded_for_header_lines_are_one_list(self):
        """A proxy such as HAProxy appends its own X-Forwarded-For line after
        the client's: every line counts, in order, and the client is the
        rightmost address that is not a trusted proxy (here 127.0.0.1), not
        whatever the client wrote in the first line."""
        s = self.server
        email = new_email()
        r = s.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
        s.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                             "code": code_in(self.smtp.wait_for(email))})
        body = json.dumps({"email": email, "password": STRONG, "device": new_device()}).encode()
        request = (b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   b"Content-Type: application/json\r\n"
                   b"X-Forwarded-For: 203.0.113.9\r\n"            # the client's own claim
                   b"X-Forwarded-For: 198.51.100.4, 127.0.0.1\r\n"  # the proxies' lines
                   b"Content-Length: %d\r\n\r\n" % len(body) + body)
        with socket.create_connection((s.host, s.port), timeout=30) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, payload = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), answer[:500])
        token = json.loads(payload)["access_token"]
        events = s.get("/v1/account/login-activity?limit=1", token=token).json
        self.assertEqual(events[0]["event"], "sign_in")
        self.assertEqual(events[0]["ip"], "198.51.100.4")
        self.assertEqual(events[0]["location"]["city"], "Paris")

    def test_locations_carry_coordinates_rounded_to_a_tenth_of_a_degree(self):
        """The map's dot per place: latitude/longitude from both database
        layouts, rounded to 0.1° (a town, not a street), null when the
        database has none; the sign-in request carries them too."""
        s = self.server
        email, phone, a = self.two_step_account()
        for ip in ["203.0.113.9", "2001:db8:3::7", "2001:db8:4::1", "198.51.100.4"]:
            self.post_from(ip, "/v1/sessions",
                           {"email": email, "password": "wrong password 123", "device": phone})
        events = s.get("/v1/account/login-activity?limit=4", token=a["access_token"]).json
        places = [(e["ip"], e["location"]["city"], e["location"]["latitude"],
                   e["location"]["longitude"]) for e in events]
        self.assertEqual(places, [("198.51.100.4", "Paris", 48.9, 2.4),
                                  ("2001:db8:4::1", "", None, None),
                                  ("2001:db8:3::7", "Manchester", 53.5, -2.2),
                                  ("203.0.113.9", "London", 51.5, -0.1)])
        ws = WsClient(s)
        ws.auth(a["access_token"])
        r = self.post_from("2001:db8:3::7", "/v1/sessions",
                           {"email": email, "password": STRONG, "device": new_device("Laptop M")})
        self.assertEqual(r.status, 202, r)
        where = ws.recv()["requester"]["location"]
        self.assertEqual((where["city"], where["latitude"], where["longitude"]),
                         ("Manchester", 53.5, -2.2))
        ws.close()

    def test_private_addresses_show_unknown_location(self):
        email, phone, a = self.two_step_account()
        events = self.server.get("/v1/account/login-activity?limit=100", token=a["access_token"]).json
        local = [e for e in events if e["ip"] == "127.0.0.1"]
        self.assertTrue(local)
        self.assertTrue(all(e["location"] is None for e in local))


class UntrustedProxyTest(unittest.TestCase):
    def test_spoofed_forwarded_for_is_ignored(self):
        geo = build_geoip()
        smtp = SmtpSink()
        server = Server(smtp=smtp, extra_config=f"""
[geoip]
databases = ["{geo}/nested.mmdb"]
""")
        try:
            email = new_email()
            r = server.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
            server.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                                      "code": code_in(smtp.wait_for(email))})
            r = server.post("/v1/sessions", {"email": email, "password": STRONG, "device": new_device()},
                            headers={"X-Forwarded-For": "203.0.113.9"})
            events = server.get("/v1/account/login-activity", token=r.json["access_token"]).json
            self.assertEqual(events[0]["ip"], "127.0.0.1")
            self.assertIsNone(events[0]["location"])
        finally:
            server.stop()
            smtp.stop()


if __name__ == "__main__":
    unittest.main()
