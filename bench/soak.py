#!/usr/bin/env python3
"""Soak run (issue 16, item 5): mixed traffic against one twostepd for a
long time, with its resident memory and open file descriptors sampled at a
fixed interval and plotted.

    /usr/bin/python3 bench/soak.py                  # 20 minutes, samples every 10 s
    /usr/bin/python3 bench/soak.py --duration 120   # a short check

The traffic, from loopback, all at once:
  - registrations, each verified with the code from a real SMTP server
    (aiosmtpd, tests/integration/smtp_sink.py);
  - sign-ins followed by reads (account, security, trusted devices, login
    activity), a refresh and a sign-out;
  - trusted devices coming and going on the WebSocket while a new device
    signs in, gets challenged, and verifies the code the device received.
It runs niced (the machine is shared) and uses the build's twostepd with
the test configuration (tests/integration/harness.py: SQLite in a temp
dir, cheap Argon2id). Writes bench/results/soak.png and soak.json; exits 1
when memory or descriptors grew more than 5 % after the warm-up (the first
fifth of the run; see growth()) or when any answer was not 2xx (503, load shed, is
allowed)."""

import argparse
import collections
import http.client
import json
import os
import random
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
os.environ.setdefault("TWOSTEPD", os.path.join(HERE, "..", "build", "twostepd"))

import harness  # noqa: E402
from harness import (STRONG, Server, SmtpSink, WsClient, code_in, new_device,  # noqa: E402
                     new_email)

GROWTH_LIMIT = 0.05


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

    def wait_for(self, to, timeout):
        with self.cond:
            if not self.cond.wait_for(lambda: self.by_rcpt.get(to), timeout):
                raise TimeoutError(f"no mail to {to}")
            return self.by_rcpt.pop(to).pop(0)


class Traffic:
    """The clients' shared record: answers by status, and accounts made."""

    def __init__(self, server, smtp, deadline):
        self.server, self.mail, self.deadline = server, Mailboxes(smtp), deadline
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.unexpected = []
        self.accounts = []  # kasa accounts: signing in needs no code

    def running(self):
        return time.monotonic() < self.deadline

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

    def register(self, app="kasa", device=None):
        email = new_email()
        body = {"email": email, "password": STRONG, "app": app}
        if device:
            body["device"] = device
        status, r = self.call("POST", "/v1/accounts", body)
        if status != 202:
            return None, None
        code = code_in(self.mail.wait_for(email, timeout=60))
        status, v = self.call("POST", "/v1/accounts/verify-email",
                              {"challenge_id": r["challenge_id"], "code": code})
        return (email, v) if status == 200 else (None, None)


def registrar(t):
    while t.running():
        email, _ = t.register()
        if email:
            with t.lock:
                t.accounts.append(email)


def reader(t):
    while t.running():
        with t.lock:
            email = random.choice(t.accounts) if t.accounts else None
        if not email:
            time.sleep(0.2)  # until the registrar made the first account
            continue
        status, s = t.call("POST", "/v1/sessions", {"email": email, "password": STRONG,
                                                    "device": new_device("Soak reader")})
        if status != 200:
            continue
        token = s["access_token"]
        for path in ("/v1/account", "/v1/account/security", "/v1/account/trusted-devices",
                     "/v1/account/login-activity?limit=20"):
            t.call("GET", path, token=token)
        status, s = t.call("POST", "/v1/sessions/refresh", {"refresh_token": s["refresh_token"]})
        if status == 200:
            t.call("DELETE", "/v1/sessions/current", token=s["access_token"])


def devices(t):
    """A trusted device comes online, a new device asks for a code, the
    trusted one receives it, the new one verifies it; both go away."""
    while t.running():
        phone = new_device("Soak phone", app="aginet")
        email, v = t.register(app="aginet", device=phone)
        if not email:
            continue
        status, s = t.call("POST", "/v1/sessions", {"email": email, "password": STRONG,
                                                    "device": phone,
                                                    "device_secret": v["device_secret"]})
        if status != 200:
            continue
        ws = WsClient(t.server)
        try:
            if ws.auth(s["access_token"]).get("type") != "ready":
                continue
            status, c = t.call("POST", "/v1/sessions", {"email": email, "password": STRONG,
                                                        "device": new_device("Soak laptop")})
            if status != 202:
                continue
            msg = ws.recv(timeout=30)
            t.call("POST", f"/v1/challenges/{c['challenge_id']}/verify",
                   {"code": msg["code"], "trust_device": False})
        finally:
            ws.close()


def sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss_kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return rss_kib / 1024.0, len(os.listdir(f"/proc/{pid}/fd"))


def sqlite_mib(server):
    """The SQLite file and its WAL: the store's page caches (64 MiB for the
    writer, 16 MiB per reader, adapters/sqlite) fill as it grows."""
    base = os.path.join(server.dir, "var", "twostep.db")
    return sum(os.path.getsize(p) for p in (base, base + "-wal") if os.path.exists(p)) / 2**20


def growth(values, warmup):
    """Growth of the floor: the lowest sample of the last third after the
    warm-up against the lowest of the first third. Memory jumps for a
    moment by a hashing buffer (Argon2id's MiBs, freed after the hash) and
    descriptors by the connections in flight at a sample; what leaks raises
    the floor, which these passing peaks do not."""
    after = values[warmup:]
    if len(after) < 6:
        return 0.0
    k = len(after) // 3
    return min(after[-k:]) / min(after[:k]) - 1


def plot(samples, warmup_s, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ts = [s["t"] / 60 for s in samples]
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 5.5))
    top.plot(ts, [s["rss_mib"] for s in samples], marker=".", label="twostepd RSS")
    if "db_mib" in samples[0]:
        top.plot(ts, [s["db_mib"] for s in samples], color="tab:green", label="SQLite file + WAL")
    top.set_ylabel("MiB")
    bottom.plot(ts, [s["fds"] for s in samples], marker=".", color="tab:orange")
    bottom.set_ylabel("open descriptors")
    bottom.set_xlabel("minutes")
    for ax in (top, bottom):
        ax.axvspan(0, warmup_s / 60, color="0.9", label="warm-up")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
    top.legend(loc="lower right")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=1200, help="seconds (default 1200)")
    parser.add_argument("--interval", type=float, default=10, help="seconds between samples")
    parser.add_argument("--out", default=os.path.join(HERE, "results"), help="output directory")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: a fresh database in the cluster TEST_PG_URL names "
                             "(no page cache in the process, so its own growth shows alone)")
    args = parser.parse_args()
    harness.BACKEND = args.backend
    os.nice(10)  # the machine is shared; twostepd inherits it
    smtp = SmtpSink()
    server = Server(smtp=smtp)
    started = time.monotonic()
    t = Traffic(server, smtp, started + args.duration)
    workers = [threading.Thread(target=f, args=(t,), daemon=True)
               for f in (registrar, registrar, reader, reader, devices)]
    for w in workers:
        w.start()
    samples = []
    try:
        while True:
            rss, fds = sample(server.proc.pid)
            samples.append({"t": round(time.monotonic() - started, 1), "rss_mib": round(rss, 2),
                            "fds": fds})
            if server.backend == "sqlite":
                samples[-1]["db_mib"] = round(sqlite_mib(server), 2)
            print(f"{samples[-1]['t']:7.0f} s  rss {rss:7.1f} MiB  fds {fds:4d}  "
                  f"answers {sum(t.statuses.values())}", flush=True)
            if not t.running():
                break
            time.sleep(min(args.interval, max(0.0, t.deadline - time.monotonic())))
        for w in workers:
            w.join(60)
    finally:
        server.stop()
        smtp.stop()
    warmup_s = args.duration / 5
    warmup = sum(1 for s in samples if s["t"] < warmup_s)
    result = {
        "backend": args.backend,
        "duration_s": args.duration, "interval_s": args.interval, "warmup_s": warmup_s,
        "answers": dict(sorted(t.statuses.items())),
        "unexpected": t.unexpected[:20],
        "rss_growth_after_warmup": round(growth([s["rss_mib"] for s in samples], warmup), 4),
        "fd_growth_after_warmup": round(growth([s["fds"] for s in samples], warmup), 4),
        "samples": samples,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "soak.json"), "w") as f:
        json.dump(result, f, indent=1)
    plot(samples, warmup_s, os.path.join(args.out, "soak.png"),
         f"twostepd soak ({args.backend}), {args.duration / 60:g} min: RSS growth "
         f"{result['rss_growth_after_warmup']:+.1%}, fds {result['fd_growth_after_warmup']:+.1%}")
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    ok = (result["rss_growth_after_warmup"] <= GROWTH_LIMIT
          and result["fd_growth_after_warmup"] <= GROWTH_LIMIT and not t.unexpected)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
