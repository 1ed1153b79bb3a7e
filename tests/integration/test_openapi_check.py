"""The harness's OpenAPI check itself: answers that differ from
docs/openapi.yaml in a field, a status, a problem code, a content type or
an undocumented path fail; the documented ones pass. (No server: the
other suites show the server's answers pass.)"""

import json
import unittest

import openapi_check


class Answer:
    def __init__(self, status, body=None, ctype="application/json"):
        self.status = status
        self.raw = json.dumps(body) if body is not None else ""
        self.json = body
        self.headers = {"Content-Type": ctype} if body is not None else {}


CHALLENGE = {"challenge_id": "chl_1", "method": "app", "methods": ["app"],
             "destination": "1 trusted device", "expires_in": 600, "resend_in": 60}


def problem(status, code, **extra):
    return Answer(status, dict({"type": "about:blank", "title": "x", "status": status,
                                "code": code, "detail": "x"}, **extra),
                  "application/problem+json")


class OpenApiCheckTest(unittest.TestCase):
    def ok(self, method, path, answer, **kw):
        openapi_check.check_response(method, path, answer, **kw)

    def fails(self, method, path, answer, **kw):
        with self.assertRaises(AssertionError):
            openapi_check.check_response(method, path, answer, **kw)

    def test_documented_answers_pass(self):
        self.ok("POST", "/v1/challenges/chl_1/resend", Answer(200, CHALLENGE))
        self.ok("POST", "/v1/challenges/chl_1/verify", problem(400, "invalid_code", attempts_left=3))
        self.ok("DELETE", "/v1/sessions/current", Answer(204))
        self.ok("GET", "/v1/no-such-thing", problem(404, "not_found"))
        self.ok("PUT", "/v1/account", problem(405, "method_not_allowed"))
        self.ok("GET", "/index.html", Answer(200, None))
        self.ok("GET", "/metrics", Answer(200, "x", "text/plain; version=0.0.4"), management=True)

    def test_an_undocumented_field_fails(self):
        self.fails("POST", "/v1/challenges/chl_1/resend", Answer(200, dict(CHALLENGE, extra=1)))

    def test_a_missing_field_fails(self):
        body = dict(CHALLENGE)
        del body["resend_in"]
        self.fails("POST", "/v1/challenges/chl_1/resend", Answer(200, body))

    def test_an_undocumented_status_fails(self):
        self.fails("GET", "/v1/account", Answer(202, {"challenge_id": "chl_1"}))

    def test_an_undocumented_problem_code_fails(self):
        self.fails("POST", "/v1/challenges/chl_1/verify", problem(400, "weak_password"))

    def test_a_wrong_content_type_fails(self):
        self.fails("POST", "/v1/challenges/chl_1/verify", Answer(400, problem(400, "invalid_code").json))

    def test_an_undocumented_api_path_answering_fails(self):
        self.fails("GET", "/v1/challenges/chl_1", Answer(200, {"state": "pending"}))

    def test_a_body_where_none_is_documented_fails(self):
        self.fails("DELETE", "/v1/sessions/current", Answer(204, {"x": 1}))

    def test_the_management_listener_serves_only_its_paths(self):
        self.fails("GET", "/v1/openapi.json", Answer(200, {"openapi": "3.1.0"}), management=True)

    def test_websocket_messages(self):
        openapi_check.check_ws_message({"type": "ready", "device_id": "dev-1"})
        with self.assertRaises(AssertionError):
            openapi_check.check_ws_message({"type": "ready"})
        with self.assertRaises(AssertionError):
            openapi_check.check_ws_message({"type": "signed_out", "reason": "bored"})


if __name__ == "__main__":
    unittest.main()
