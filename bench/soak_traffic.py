"""The soak run's clients (bench/soak.py): mixed traffic on a population of
accounts made during the warm-up, with the server's test clock moved one
day at a time so that what has a retention is pruned during the run.

Steady state: a service's data grows with its users, and the rest of it
(login activity, rate-limit hits, challenges, sessions and their tokens,
abandoned registrations) is pruned after a retention of a day or more. The
soak makes its accounts in the warm-up and then keeps to them, as returning
users on their own devices do, and runs with `activity.retention_days = 1`
and housekeeping every few seconds while the clock keeper moves the test
clock one day ahead every `day_every` seconds, between two rounds of
traffic (no request is in flight across a move: every flow runs in one
turn). A run of 20 minutes thus covers 60 days of the data's life."""

import collections
import contextlib
import http.client
import json
import random
import threading
import time

from harness import ADMIN, STRONG, STRONG2, WsClient, code_in, new_device, new_email

DAY_S = 24 * 3600
# The population, made in the warm-up: kasa accounts that sign in and read,
# kasa accounts whose passwords are reset by mailed codes, and aginet
# accounts with a trusted phone that gets the codes of a laptop.
READERS, RESETS, PHONES = 300, 100, 40


class Mailboxes:
    """The sink's mail sorted by recipient, for many concurrent waiters
    (SmtpSink.wait_for serves one waiter at a time)."""

    def __init__(self, smtp):
        self.smtp = smtp
        self.cond = threading.Condition()
        self.by_rcpt = collections.defaultdict(list)
        threading.Thread(target=self._sort, daemon=True).start()

    def _sort(self):
        import email
        import email.policy
        while True:
            item = self.smtp.messages.get()
            msg = email.message_from_string(item["data"], policy=email.policy.default)
            with self.cond:
                for rcpt in item["rcpt_tos"]:
                    self.by_rcpt[rcpt].append(msg)
                self.cond.notify_all()

    def code_for(self, to, timeout=60):
        """The code of the next mail to `to` that has one (a notice, e.g.
        "your password was changed", has none)."""
        end = time.monotonic() + timeout
        while True:
            msg = self.wait_for(to, max(0.0, end - time.monotonic()))
            try:
                return code_in(msg)
            except AssertionError:
                continue

    def wait_for(self, to, timeout):
        with self.cond:
            if not self.cond.wait_for(lambda: self.by_rcpt.get(to), timeout):
                raise TimeoutError(f"no mail to {to}")
            msg = self.by_rcpt[to].pop(0)
            if not self.by_rcpt[to]:
                del self.by_rcpt[to]
            return msg


class Traffic:
    """The clients' shared record (answers by status, the population) and
    the turns that keep requests from spanning a move of the clock."""

    def __init__(self, server, smtp, deadline):
        self.server, self.mail, self.deadline = server, Mailboxes(smtp), deadline
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.unexpected = []
        self.readers = []  # (email, device)
        # Used in turn, oldest first: the limits on codes per account and
        # hour (5 reset mails, 10 sign-in challenges) are never reached.
        self.resets = collections.deque()  # [email, password], taken out while in use
        self.made_resets = 0
        self.phones = collections.deque()  # (email, phone, device_secret, laptop)
        self.turns = threading.Condition()
        self.active = 0
        self.paused = False
        self.days = 0

    def running(self):
        return time.monotonic() < self.deadline

    @contextlib.contextmanager
    def turn(self):
        """One flow, never across a move of the clock. A flow that fails
        (a timeout, a missing mail or code) is recorded as unexpected and
        the worker goes on."""
        with self.turns:
            self.turns.wait_for(lambda: not self.paused)
            self.active += 1
        try:
            yield
        except Exception as e:  # noqa: BLE001 - any failure is a finding
            with self.lock:
                self.unexpected.append(("flow", type(e).__name__, str(e)[:200]))
        finally:
            with self.turns:
                self.active -= 1
                self.turns.notify_all()

    def next_day(self):
        """Waits for the flows in flight to end, moves the clock, resumes."""
        with self.turns:
            self.paused = True
            self.turns.wait_for(lambda: self.active == 0)
        try:
            self.call("POST", "/v1/admin/clock", {"advance_s": DAY_S}, token=ADMIN, expect=(204,))
            self.days += 1
        finally:
            with self.turns:
                self.paused = False
                self.turns.notify_all()

    def call(self, method, path, body=None, token=None, expect=(200, 201, 202, 204)):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        with self.lock:
            self.statuses[r.status] += 1
            if r.status not in expect and r.status != 503:
                self.unexpected.append((method, path, r.status, data[:200].decode(errors="replace")))
        return r.status, (json.loads(data) if data and r.status < 300 else None)

    def register(self, app="kasa", device=None, verify=True):
        email = new_email()
        body = {"email": email, "password": STRONG, "app": app}
        if device:
            body["device"] = device
        status, r = self.call("POST", "/v1/accounts", body)
        if status != 202:
            return None, None
        code = self.mail.code_for(email)
        if not verify:  # abandoned: pruned 7 days later (U1)
            return None, None
        status, v = self.call("POST", "/v1/accounts/verify-email",
                              {"challenge_id": r["challenge_id"], "code": code})
        return (email, v) if status == 200 else (None, None)

    def sign_out(self, token):
        self.call("DELETE", "/v1/sessions/current", token=token)


def keeper(t, day_every):
    while t.running():
        time.sleep(min(day_every, max(0.0, t.deadline - time.monotonic())))
        if t.running():
            t.next_day()


def registrar(t):
    """Makes the kasa population; then resets passwords by mailed code and
    leaves registrations unconfirmed, in turn."""
    while t.running():
        with t.turn():
            with t.lock:
                need = "reader" if len(t.readers) < READERS else (
                    "reset" if t.made_resets < RESETS else None)
                t.made_resets += need == "reset"
            if need:
                device = new_device("Soak reader")
                email, _ = t.register(device=device)
                if email:
                    with t.lock:
                        (t.readers.append((email, device)) if need == "reader"
                         else t.resets.append([email, STRONG]))
            elif random.random() < 0.5:
                t.register(verify=False)
            else:
                reset_password(t)


def reset_password(t):
    with t.lock:
        entry = t.resets.popleft() if t.resets else None
    if not entry:
        return
    try:
        status, r = t.call("POST", "/v1/password/reset", {"email": entry[0]})
        if status != 202:
            return
        code = t.mail.code_for(entry[0])
        fresh = STRONG2 if entry[1] == STRONG else STRONG
        status, _ = t.call("POST", "/v1/password/reset/confirm",
                           {"challenge_id": r["challenge_id"], "code": code, "new_password": fresh})
        if status == 204:
            entry[1] = fresh
    finally:
        with t.lock:
            t.resets.append(entry)


def reader(t):
    while t.running():
        with t.lock:
            account = random.choice(t.readers) if t.readers else None
        if not account:
            time.sleep(0.2)  # until the registrar made the first account
            continue
        with t.turn():
            read_account(t, *account)


def read_account(t, email, device):
    status, s = t.call("POST", "/v1/sessions", {"email": email, "password": STRONG,
                                                "device": device})
    if status != 200:
        return
    token = s["access_token"]
    for path in ("/v1/account", "/v1/account/security", "/v1/account/trusted-devices",
                 "/v1/account/login-activity?limit=20"):
        t.call("GET", path, token=token)
    status, s = t.call("POST", "/v1/sessions/refresh", {"refresh_token": s["refresh_token"]})
    if status == 200:
        t.sign_out(s["access_token"])


def devices(t):
    """A trusted phone comes online, a laptop asks for a code, the phone
    receives it, the laptop verifies it; both sign out and go away."""
    while t.running():
        with t.turn():
            with t.lock:
                account = t.phones.popleft() if len(t.phones) >= PHONES else None
            if account:
                with t.lock:
                    t.phones.append(account)
            else:
                phone = new_device("Soak phone", app="aginet")
                email, v = t.register(app="aginet", device=phone)
                if not email:
                    continue
                account = (email, phone, v["device_secret"], new_device("Soak laptop"))
                with t.lock:
                    t.phones.append(account)
            phone_meets_laptop(t, *account)


def phone_meets_laptop(t, email, phone, secret, laptop):
    status, s = t.call("POST", "/v1/sessions", {"email": email, "password": STRONG,
                                                "device": phone, "device_secret": secret})
    if status != 200:
        return
    ws = WsClient(t.server)
    try:
        if ws.auth(s["access_token"]).get("type") != "ready":
            return
        status, c = t.call("POST", "/v1/sessions", {"email": email, "password": STRONG,
                                                    "device": laptop})
        if status != 202:
            return
        msg = ws.recv(timeout=30)
        status, l = t.call("POST", f"/v1/challenges/{c['challenge_id']}/verify",
                           {"code": msg["code"], "trust_device": False})
        if status == 200:
            t.sign_out(l["access_token"])
    finally:
        ws.close()
        t.sign_out(s["access_token"])
