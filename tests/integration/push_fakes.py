"""Faithful local fakes of the two mobile push services (issue 20): no real
push service is reachable from the tests, so these check what the real ones
check, with the public halves of keys made at test time by `openssl`.

FakeFcm (HTTP/1.1 on loopback, which twostepd allows for loopback hosts):
  POST /token             an OAuth 2.0 JWT-bearer grant (RFC 7523): the
                          assertion must be an RS256 JWT signed by the
                          service account's key, with iss = client_email,
                          scope = firebase.messaging, aud = the token URI,
                          iat now (±60 s) and exp - iat <= 3600.
  POST /v1/projects/{p}/messages:send
                          Bearer = an access token this fake issued and not
                          yet expired; the body is the HTTP v1 message
                          schema (data values are strings, android.ttl is
                          "<n>s", unknown fields refused).
FakeApns (HTTP/2 over TLS with ALPN h2 only, certificate from a test CA):
  POST /3/device/{hex token}
                          authorization: bearer ES256 JWT (kid = key id,
                          iss = team id, iat no older than an hour),
                          apns-topic, apns-push-type alert|background,
                          apns-expiration, apns-priority, apns-collapse-id
                          (<= 64 bytes), payload <= 4096 bytes with "aps".
Both answer what `mode(token)` says: "ok", "gone" (FCM UNREGISTERED / APNs
410), "invalid" (FCM only: INVALID_ARGUMENT naming message.token), "429" (once, with Retry-After), "500" (once), "hang" (no answer until
`release()`). Every request lands in `received` (a queue) with what was
checked and the answer given."""

import json
import queue
import secrets
import socket
import ssl
import threading
import time
import urllib.parse
import http.server

import h2.config
import h2.connection
import h2.events
import h2.exceptions

from push_keys import JwtError, load_public, verify_jwt

FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


class Modes:
    """What to answer for each token: a default and one-off overrides."""

    def __init__(self):
        self.lock = threading.Lock()
        self.modes = {}
        self.released = threading.Event()

    def set(self, token, mode):
        with self.lock:
            self.modes[token] = mode

    def take(self, token):
        """The mode for this request; "429" and "500" happen once."""
        with self.lock:
            mode = self.modes.get(token, "ok")
            if mode in ("429", "500"):
                self.modes[token] = "ok"
            return mode

    def release(self):
        self.released.set()


class FakeFcm:
    def __init__(self, keys, project="twostep-test", client_email="push@twostep-test.iam.example"):
        self.public = load_public(keys["fcm.pub"])
        with open(keys["fcm.pem"]) as f:
            self.private_pem = f.read()
        self.project = project
        self.client_email = client_email
        self.key_id = secrets.token_hex(8)
        self.modes = Modes()
        self.received = queue.Queue()
        self.access_tokens = {}  # token -> expiry (monotonic)
        self.token_grants = 0
        self.lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/token":
                    status, headers, answer = fake.grant(self.headers, body)
                else:
                    status, headers, answer = fake.send(self.path, self.headers, body)
                if status is None:  # hang: hold the answer until released
                    fake.modes.released.wait(60)
                    status, headers, answer = 503, {}, {"error": {"code": 503, "status": "UNAVAILABLE"}}
                data = json.dumps(answer).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def service_account(self, path, key_pem=None):
        """Writes the service-account JSON twostepd reads."""
        with open(path, "w") as f:
            json.dump({"type": "service_account", "project_id": self.project,
                       "private_key_id": self.key_id,
                       "private_key": key_pem or self.private_pem,
                       "client_email": self.client_email,
                       "client_id": "1", "token_uri": self.url + "/token"}, f)
        return path

    def grant(self, headers, body):
        form = urllib.parse.parse_qs(body.decode())
        try:
            if headers.get("Content-Type") != "application/x-www-form-urlencoded":
                raise JwtError("token request is not a form")
            if form.get("grant_type") != [JWT_BEARER]:
                raise JwtError("grant_type is not jwt-bearer")
            header, claims = verify_jwt(form["assertion"][0], self.public, "RS256")
            now = time.time()
            if header.get("kid") not in (None, self.key_id):
                raise JwtError("kid names another key")
            if claims.get("iss") != self.client_email:
                raise JwtError("iss is not the service account")
            if claims.get("scope") != FCM_SCOPE:
                raise JwtError("scope is not firebase.messaging")
            if claims.get("aud") != self.url + "/token":
                raise JwtError("aud is not the token URI")
            iat, exp = claims.get("iat"), claims.get("exp")
            if not isinstance(iat, int) or not isinstance(exp, int) or abs(iat - now) > 60:
                raise JwtError("iat is not now")
            if not 0 < exp - iat <= 3600 or exp <= now:
                raise JwtError("exp is not within an hour of iat")
        except (JwtError, KeyError) as e:
            self.received.put({"kind": "token", "ok": False, "why": str(e)})
            return 400, {}, {"error": "invalid_grant", "error_description": str(e)}
        token = "ya29." + secrets.token_urlsafe(32)
        with self.lock:
            self.access_tokens[token] = time.monotonic() + 3600
            self.token_grants += 1
        self.received.put({"kind": "token", "ok": True})
        return 200, {}, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def check_message(self, path, headers, body):
        auth = headers.get("Authorization", "")
        with self.lock:
            expiry = self.access_tokens.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None
        if expiry is None or expiry < time.monotonic():
            return 401, "UNAUTHENTICATED", None
        if path != f"/v1/projects/{self.project}/messages:send":
            return 404, "NOT_FOUND", None
        if not headers.get("Content-Type", "").startswith("application/json"):
            return 400, "INVALID_ARGUMENT", None
        try:
            msg = json.loads(body)["message"]
        except (ValueError, KeyError, TypeError):
            return 400, "INVALID_ARGUMENT", None
        ok = (set(msg) <= {"token", "data", "android", "apns", "notification"}
              and isinstance(msg.get("token"), str)
              and isinstance(msg.get("data"), dict)
              and all(isinstance(k, str) and isinstance(v, str) for k, v in msg["data"].items()))
        android = msg.get("android", {})
        ok = ok and set(android) <= {"priority", "ttl", "collapse_key", "notification"}
        ok = ok and android.get("priority", "normal") in ("normal", "high")
        ttl = android.get("ttl", "0s")
        ok = ok and isinstance(ttl, str) and ttl.endswith("s") and ttl[:-1].isdigit()
        note = android.get("notification", {})
        ok = ok and set(note) <= {"title", "body", "tag"} and all(isinstance(v, str) for v in note.values())
        return (200, "", msg) if ok else (400, "INVALID_ARGUMENT", None)

    def send(self, path, headers, body):
        status, why, msg = self.check_message(path, headers, body)
        record = {"kind": "send", "status": status, "why": why, "body": body.decode(errors="replace"),
                  "message": msg, "at": time.monotonic()}
        if status != 200:
            self.received.put(record)
            return status, {}, {"error": {"code": status, "status": why}}
        mode = self.modes.take(msg["token"])
        record["mode"] = mode
        self.received.put(record)
        if mode == "hang":
            return None, None, None
        if mode == "gone":
            return 404, {}, {"error": {"code": 404, "message": "Requested entity was not found.",
                                       "status": "NOT_FOUND", "details": [{
                                           "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                           "errorCode": "UNREGISTERED"}]}}
        if mode == "invalid":  # a token FCM never issued (or one of another project)
            return 400, {}, {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                                       "message": "The registration token is not a valid FCM registration token",
                                       "details": [
                                           {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                            "errorCode": "INVALID_ARGUMENT"},
                                           {"@type": "type.googleapis.com/google.rpc.BadRequest",
                                            "fieldViolations": [{"field": "message.token",
                                                                 "description": "Invalid registration token"}]}]}}
        if mode == "429":
            return 429, {"Retry-After": "2"}, {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
                                                         "details": [{"errorCode": "QUOTA_EXCEEDED"}]}}
        if mode == "500":
            return 500, {}, {"error": {"code": 500, "status": "INTERNAL"}}
        return 200, {}, {"name": f"projects/{self.project}/messages/{secrets.randbelow(10**12)}"}

    def stop(self):
        self.modes.release()
        self.server.shutdown()
        self.server.server_close()


class FakeApns:
    def __init__(self, keys, key_id="ABC123DEFG", team_id="TEAM123456", topic="com.example.kasa"):
        self.public = load_public(keys["apns.pub"])
        self.key_id, self.team_id, self.topic = key_id, team_id, topic
        self.modes = Modes()
        self.received = queue.Queue()
        self.connections = 0
        self.lock = threading.Lock()
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(keys["server.pem"], keys["server.key"])
        self.context.set_alpn_protocols(["h2"])
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopping = False
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while not self.stopping:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(raw,), daemon=True).start()

    def serve(self, raw):
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            return
        if conn.selected_alpn_protocol() != "h2":  # APNs speaks HTTP/2 only
            conn.close()
            return
        with self.lock:
            self.connections += 1
        h2c = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
        h2c.initiate_connection()
        conn.sendall(h2c.data_to_send())
        streams = {}
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                for event in h2c.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        streams[event.stream_id] = {"headers": dict(
                            (k.decode(), v.decode()) for k, v in event.headers), "body": b""}
                    elif isinstance(event, h2.events.DataReceived):
                        streams[event.stream_id]["body"] += event.data
                        h2c.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded):
                        self.answer(h2c, event.stream_id, streams.pop(event.stream_id))
                conn.sendall(h2c.data_to_send())
        except (OSError, ssl.SSLError, h2.exceptions.ProtocolError):
            return
        finally:
            conn.close()

    def check(self, headers, body):
        """(status, reason) of what real APNs would refuse, or (200, "")."""
        if headers.get(":method") != "POST" or headers.get(":scheme") != "https":
            return 405, "MethodNotAllowed"
        path = headers.get(":path", "")
        token = path[len("/3/device/"):] if path.startswith("/3/device/") else ""
        if not token or len(token) % 2 or any(c not in "0123456789abcdefABCDEF" for c in token):
            return 400, "BadDeviceToken"
        auth = headers.get("authorization", "")
        if not auth.startswith("bearer "):
            return 403, "MissingProviderToken"
        try:
            header, claims = verify_jwt(auth[len("bearer "):], self.public, "ES256")
        except JwtError:
            return 403, "InvalidProviderToken"
        if header.get("kid") != self.key_id or claims.get("iss") != self.team_id:
            return 403, "InvalidProviderToken"
        iat = claims.get("iat")
        if not isinstance(iat, int) or iat > time.time() + 60:
            return 403, "InvalidProviderToken"
        if time.time() - iat > 3600:
            return 403, "ExpiredProviderToken"
        if headers.get("apns-topic") != self.topic:
            return 400, "TopicDisallowed" if headers.get("apns-topic") else "MissingTopic"
        kind = headers.get("apns-push-type")
        if kind not in ("alert", "background"):
            return 400, "InvalidPushType"
        if not headers.get("apns-expiration", "").isdigit():
            return 400, "BadExpirationDate"
        priority = headers.get("apns-priority", "10")
        if priority not in ("5", "10") or (kind == "background" and priority != "5"):
            return 400, "BadPriority"
        if len(headers.get("apns-collapse-id", "").encode()) > 64:
            return 400, "BadCollapseId"
        if len(body) > 4096:
            return 413, "PayloadTooLarge"
        try:
            aps = json.loads(body)["aps"]
        except (ValueError, KeyError, TypeError):
            return 400, "PayloadEmpty"
        if kind == "alert" and not isinstance(aps.get("alert"), dict):
            return 400, "PayloadEmpty"
        if kind == "background" and (aps.get("content-available") != 1 or "alert" in aps):
            return 400, "BadPayload"
        return 200, ""

    def answer(self, h2c, stream_id, request):
        headers, body = request["headers"], request["body"]
        status, reason = self.check(headers, body)
        token = headers.get(":path", "")[len("/3/device/"):]
        record = {"headers": headers, "body": body.decode(errors="replace"), "status": status,
                  "reason": reason, "token": token, "at": time.monotonic()}
        extra = []
        if status == 200:
            mode = self.modes.take(token)
            record["mode"] = mode
            if mode == "hang":
                self.received.put(record)
                return  # the stream stays open: no answer
            if mode == "gone":
                status, reason = 410, "Unregistered"
            elif mode == "429":
                status, reason, extra = 429, "TooManyRequests", [("retry-after", "2")]
            elif mode == "500":
                status, reason = 500, "InternalServerError"
        self.received.put(record)
        payload = b"" if status == 200 else json.dumps(
            {"reason": reason, **({"timestamp": int(time.time() * 1000)} if status == 410 else {})}).encode()
        response = [(":status", str(status)), ("apns-id", secrets.token_hex(16))] + extra
        if payload:
            response.append(("content-type", "application/json"))
        h2c.send_headers(stream_id, response, end_stream=not payload)
        if payload:
            h2c.send_data(stream_id, payload, end_stream=True)

    def stop(self):
        self.stopping = True
        self.modes.release()
        self.sock.close()


def take(q, predicate=lambda r: True, timeout=20):
    """The next record of queue `q` that matches, within `timeout` seconds;
    records that do not match are skipped."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no matching push arrived in time")
        try:
            r = q.get(timeout=left)
        except queue.Empty:
            raise AssertionError("no matching push arrived in time")
        if predicate(r):
            return r
