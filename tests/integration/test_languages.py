"""Languages (issue #24, SPEC U17): an account registered with
`Accept-Language: zh-TW` and `time_zone: Asia/Taipei` gets its mails in
Traditional Chinese (`Content-Language: zh-Hant`, text and HTML parts), with
times in Taipei time and the zone's name; PATCH /v1/account changes the
language of the next mail; bad values are refused and change nothing.
Real twostepd, real SMTP; the test clock is frozen so that the time a mail
shows can be checked against its Date header."""

import datetime
import email.utils
import json
import os
import subprocess
import tempfile
import unittest

from harness import (MANUAL_CLOCK_CONFIG, STRONG, STRONG2, Server, ServerTestCase, SmtpSink,
                     code_in, new_device, new_email, sign_in, text_of)

HERE = os.path.dirname(os.path.abspath(__file__))

TAIPEI = datetime.timezone(datetime.timedelta(hours=8))  # no daylight saving time


def catalog(lang):
    """The common messages of `lang` as the catalog writes them."""
    with open(os.path.join(HERE, "..", "..", "locales", lang, "common.json"), encoding="utf-8") as f:
        return json.load(f)


def html_of(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


def taipei_clock(msg):
    """The time of `msg` (its Date header) as a zh-Hant mail writes it in
    Asia/Taipei: 下午9:05."""
    at = email.utils.parsedate_to_datetime(msg["Date"]).astimezone(TAIPEI)
    return f"{'上午' if at.hour < 12 else '下午'}{at.hour % 12 or 12}:{at.minute:02d}"


class LanguagesTest(ServerTestCase):
    EXTRA_CONFIG = MANUAL_CLOCK_CONFIG

    def assert_in_language(self, msg, lang):
        self.assertEqual(msg["Content-Language"], lang)
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        self.assertIn(f'<html lang="{lang}">', html_of(msg))

    def register(self, body_extra=None, headers=None):
        address = new_email()
        body = {"email": address, "password": STRONG, "app": "kasa", **(body_extra or {})}
        r = self.server.post("/v1/accounts", body, headers=headers)
        self.assertEqual(r.status, 202, r)
        return address, r.json["challenge_id"]

    def verified(self, body_extra=None, headers=None):
        address, challenge = self.register(body_extra, headers)
        mail = self.smtp.wait_for(address)
        r = self.server.post("/v1/accounts/verify-email",
                             {"challenge_id": challenge, "code": code_in(mail)})
        self.assertEqual(r.status, 200, r)
        return address, mail

    def account(self, token):
        r = self.server.get("/v1/account", token=token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def test_a_zh_tw_account_reads_traditional_chinese_in_taipei_time(self):
        address, mail = self.verified({"time_zone": "Asia/Taipei"},
                                      {"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"})
        self.assert_in_language(mail, "zh-Hant")
        self.assertIn("驗證你在", mail["Subject"])
        self.assertIn("在 App 中輸入此驗證碼", text_of(mail))
        self.assertNotIn("Enter this code", text_of(mail))

        phone = new_device("Phone A")
        token = sign_in(self.server, address, phone).json["access_token"]
        account = self.account(token)
        self.assertEqual((account["locale"], account["time_zone"]), ("zh-Hant", "Asia/Taipei"))

        # Two-Step on (its code by email), then the notice with the time.
        r = self.server.post("/v1/account/two-step", {"enabled": True}, token=token)
        self.assertEqual(r.status, 202, r)
        code_mail = self.smtp.wait_for(address)
        self.assert_in_language(code_mail, "zh-Hant")
        r = self.server.post("/v1/account/two-step/verify",
                             {"challenge_id": r.json["challenge_id"], "code": code_in(code_mail)},
                             token=token)
        self.assertEqual(r.status, 200, r)
        notice = self.smtp.wait_for(address, subject_contains="兩步驟驗證已開啟")
        self.assert_in_language(notice, "zh-Hant")
        self.assertIn(taipei_clock(notice) + " [台北標準時間]", text_of(notice))

        # A new device: its code goes to Phone A; "Did not receive a code?"
        # sends it by email, naming the request's time in Taipei time.
        laptop = new_device("Laptop B")
        r = sign_in(self.server, address, laptop)
        self.assertEqual(r.status, 202, r)
        challenge = r.json["challenge_id"]
        r = self.server.post(f"/v1/challenges/{challenge}/resend", {"method": "email"})
        self.assertEqual(r.status, 200, r)
        sign_in_mail = self.smtp.wait_for(address, subject_contains="登入驗證碼")
        self.assert_in_language(sign_in_mail, "zh-Hant")
        text = text_of(sign_in_mail)
        self.assertIn("時間：", text)
        self.assertIn(taipei_clock(sign_in_mail) + " [台北標準時間]", text)
        self.assertIn("裝置：Laptop B", text)

        # The new device signs in: the alert is in the account's language.
        r = self.server.post(f"/v1/challenges/{challenge}/verify", {"code": code_in(sign_in_mail)})
        self.assertEqual(r.status, 200, r)
        alert = self.smtp.wait_for(address, subject_contains="新的登入")
        self.assert_in_language(alert, "zh-Hant")
        self.assertIn("Laptop B", text_of(alert))

        # PATCH to German: the next mail is German, still in Taipei's zone.
        r = self.server.request("PATCH", "/v1/account", {"locale": "de"}, token=token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["locale"], r.json["time_zone"]), ("de", "Asia/Taipei"))
        r = self.server.post("/v1/account/password",
                             {"current_password": STRONG, "new_password": STRONG2}, token=token)
        self.assertEqual(r.status, 204, r)
        changed = self.smtp.wait_for(address, subject_contains="Passwort wurde geändert")
        self.assert_in_language(changed, "de")
        self.assertIn("Das Passwort Ihres Kontos wurde am", text_of(changed))

    def test_the_body_locale_wins_and_garbage_is_english(self):
        _, mail = self.verified({"locale": "cs"}, {"Accept-Language": "de-DE,de;q=0.9"})
        self.assert_in_language(mail, "cs")
        _, mail = self.verified(headers={"Accept-Language": "xx-YY;q=oops,,,"})
        self.assert_in_language(mail, "en")
        address, mail = self.verified()
        self.assert_in_language(mail, "en")
        token = sign_in(self.server, address, new_device()).json["access_token"]
        self.assertEqual(self.account(token)["time_zone"], "UTC")

    def test_registration_refuses_unknown_languages_and_zones(self):
        for extra in ({"locale": "xx"}, {"locale": "zh-TW"}, {"locale": 7},
                      {"time_zone": "Mars/Olympus_Mons"}, {"time_zone": "GMT+8"},
                      {"time_zone": ["UTC"]}, {"locale": "x" * 100}):
            with self.subTest(extra=extra):
                r = self.server.post("/v1/accounts", {"email": new_email(), "password": STRONG,
                                                      "app": "kasa", **extra})
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json["code"], "invalid_request")

    def test_patch_refuses_bad_input_and_changes_nothing(self):
        address, _ = self.verified({"locale": "fr", "time_zone": "Europe/Paris"})
        token = sign_in(self.server, address, new_device()).json["access_token"]
        for body in ({}, {"colour": "blue"}, {"locale": "xx"}, {"locale": "EN"},
                     {"locale": None}, {"locale": 1}, {"time_zone": "Nowhere/City"},
                     {"time_zone": ""}, {"time_zone": 3600}, {"locale": "de", "time_zone": "Bad/Zone"}):
            with self.subTest(body=body):
                r = self.server.request("PATCH", "/v1/account", body, token=token)
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json["code"], "invalid_request")
        r = self.server.request("PATCH", "/v1/account", raw=b"not json", token=token)
        self.assertEqual(r.status, 400, r)
        r = self.server.request("PATCH", "/v1/account", {"locale": "de"})
        self.assertEqual(r.status, 401, r)
        account = self.account(token)
        self.assertEqual((account["locale"], account["time_zone"]), ("fr", "Europe/Paris"))
        r = self.server.request("PATCH", "/v1/account", {"time_zone": "Asia/Tokyo", "extra": 1},
                                token=token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["locale"], r.json["time_zone"]), ("fr", "Asia/Tokyo"))

    def test_password_warnings_and_refusals_are_in_the_requests_language(self):
        # Issue #24: the strength check answers in the Accept-Language asked for.
        de = catalog("de")
        r = self.server.post("/v1/password/strength", {"password": "password"},
                             headers={"Accept-Language": "de-DE,de;q=0.9"})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json["acceptable"])
        self.assertEqual(r.json["warning"], de["common.password.warning.common"])
        self.assertIn(de["common.password.tip.more_words"], r.json["suggestions"])
        # A registration from a zh-TW browser is refused in Traditional Chinese,
        # with the number filled in.
        r = self.server.post("/v1/accounts", {"email": new_email(), "password": "Xk7#pQ2",
                                              "app": "kasa"},
                             headers={"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json["code"], "weak_password")
        pattern = catalog("zh-Hant")["common.password.too_short"]
        self.assertEqual(r.json["detail"], pattern.replace("{min, number}", "8"))
        self.assertEqual(r.json["detail"], "請使用至少 8 個字元。")
        # A reset confirmation is not signed in: its request's language too
        # (judged before the code, alike for an address without an account).
        r = self.server.post("/v1/password/reset", {"email": new_email()})
        self.assertEqual(r.status, 202, r)
        r = self.server.post("/v1/password/reset/confirm",
                             {"challenge_id": r.json["challenge_id"], "code": "000000",
                              "new_password": "password"}, headers={"Accept-Language": "fr"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual((r.json["code"], r.json["detail"]),
                         ("weak_password", catalog("fr")["common.password.warning.common"]))
        # Without the header: English, as before.
        r = self.server.post("/v1/password/strength", {"password": "password"})
        self.assertEqual(r.json["warning"], "This is a commonly used password.")


class CountryNamesTest(unittest.TestCase):
    """The `country` of location objects and mails is CLDR's name in the
    account's language; city and region stay as the GeoIP database has them
    (tests/geoip/make_test_mmdb.pl: 203.0.113.0/24 is London, GB)."""

    @classmethod
    def setUpClass(cls):
        geo = tempfile.mkdtemp(prefix="twostep-geoip-")
        subprocess.run(["perl", os.path.join(HERE, "..", "geoip", "make_test_mmdb.pl"), geo],
                       check=True, timeout=60)
        cls.smtp = SmtpSink()
        cls.server = Server(smtp=cls.smtp, extra_config=f"""
[geoip]
databases = ["{geo}/nested.mmdb", "{geo}/flat.mmdb"]
""", env={"TWOSTEP_SERVER_TRUSTED_PROXIES": "127.0.0.1"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()

    def test_login_activity_and_the_alert_name_the_country_in_the_accounts_language(self):
        address = new_email()
        r = self.server.post("/v1/accounts", {"email": address, "password": STRONG, "app": "kasa",
                                              "locale": "zh-Hant"})
        self.assertEqual(r.status, 202, r)
        r = self.server.post("/v1/accounts/verify-email",
                             {"challenge_id": r.json["challenge_id"],
                              "code": code_in(self.smtp.wait_for(address))})
        self.assertEqual(r.status, 200, r)
        first = sign_in(self.server, address, new_device("Phone A"))
        self.assertEqual(first.status, 200, first)
        body = {"email": address, "password": STRONG, "device": new_device("Laptop B")}
        r = self.server.post("/v1/sessions", body, headers={"X-Forwarded-For": "203.0.113.9"})
        self.assertEqual(r.status, 200, r)
        alert = self.smtp.wait_for(address, subject_contains="新的登入")
        self.assertIn("London, England, 英國", text_of(alert))
        r = self.server.get("/v1/account/login-activity?limit=5", token=first.json["access_token"])
        self.assertEqual(r.status, 200, r)
        located = [e["location"] for e in r.json if e["ip"] == "203.0.113.9"]
        self.assertTrue(located, r.json)
        self.assertEqual((located[0]["city"], located[0]["region"], located[0]["country"],
                          located[0]["country_code"]), ("London", "England", "英國", "GB"))


if __name__ == "__main__":
    unittest.main()
