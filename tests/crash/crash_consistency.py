#!/usr/bin/env python3
"""Crash-consistency harness: kill -9 twostepd at random moments during mixed
traffic (register, sign in, sign out, change password), restart it on the
same files, and check that every acknowledged change is there, nothing is
half-written, and every queued mail is still delivered.

    python3 tests/crash/crash_consistency.py [--rounds 200] [--report FILE]

Exit status 0 when nothing was lost. The report (JSON) says how many rounds,
kills, acknowledged changes were checked, and losses."""

import argparse
import json
import os
import random
import sqlite3
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import Server, new_device, new_email  # noqa: E402

PASSWORDS = ["correct horse battery staple 42", "violet submarine orbit lantern 77",
             "quiet granite meadow falcon 19", "amber tundra velvet pylon 63"]


class World:
    """What the server acknowledged, to check after each crash."""

    def __init__(self):
        self.lock = threading.Lock()
        self.registered = []           # emails acknowledged with 202
        self.password = {}             # pool email -> acknowledged password
        self.in_flight = {}            # pool email -> password being set when killed
        self.live_tokens = []          # (email, access token) acknowledged and not signed out
        self.dead_tokens = []          # access tokens acknowledged as signed out
        self.signing_out = set()       # sign-outs sent but not answered when killed
        self.acks = 0


def worker(server, world, pool_email, stop, rng):
    device = new_device("crash")
    token = None
    while not stop.is_set():
        op = rng.choice(["register", "sign_in", "sign_out", "password"])
        try:
            if op == "register":
                email = new_email()
                r = server.post("/v1/accounts", {"email": email, "password": PASSWORDS[0], "app": "kasa"})
                if r.status == 202:
                    with world.lock:
                        world.registered.append(email)
                        world.acks += 1
            elif op == "sign_in":
                with world.lock:
                    pw = world.password[pool_email]
                r = server.post("/v1/sessions", {"email": pool_email, "password": pw, "device": device})
                if r.status == 200:
                    token = r.json["access_token"]
                    with world.lock:
                        world.live_tokens.append((pool_email, token))
                        world.acks += 1
            elif op == "sign_out" and token:
                sent = token
                with world.lock:
                    world.signing_out.add(sent)
                r = server.request("DELETE", "/v1/sessions/current", token=token)
                if r.status == 204:
                    with world.lock:
                        world.live_tokens = [t for t in world.live_tokens if t[1] != token]
                        world.dead_tokens.append(token)
                        world.acks += 1
                    token = None
                with world.lock:
                    world.signing_out.discard(sent)
            elif op == "password" and token:
                with world.lock:
                    old = world.password[pool_email]
                    new = rng.choice([p for p in PASSWORDS if p != old])
                    world.in_flight[pool_email] = new
                r = server.post("/v1/account/password", {"current_password": old, "new_password": new,
                                                         "sign_out_other_devices": False}, token=token)
                with world.lock:
                    if r.status == 204:
                        world.password[pool_email] = new
                        world.acks += 1
                    world.in_flight.pop(pool_email, None)
        except OSError:
            return  # the server was killed


def check(server, world, db_path, mail_dir, losses):
    con = sqlite3.connect(db_path)
    if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        losses.append("integrity_check failed")
    emails = {row[0] for row in con.execute("SELECT email FROM accounts")}
    for e in world.registered:
        if e not in emails:
            losses.append(f"acknowledged registration lost: {e}")
    orphans = con.execute("SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM challenges c"
                          " WHERE c.account_id = a.id)").fetchone()[0]
    if orphans:
        losses.append(f"{orphans} accounts without their challenge (half-written)")
    con.close()
    checked = len(world.registered)
    for email, pw in list(world.password.items()):
        r = server.post("/v1/sessions", {"email": email, "password": pw, "device": new_device()})
        if r.status != 200:
            # A change in flight at the kill may have committed without its answer.
            alt = world.in_flight.get(email)
            r2 = alt and server.post("/v1/sessions", {"email": email, "password": alt, "device": new_device()})
            if r2 and r2.status == 200:
                world.password[email] = alt
            else:
                losses.append(f"acknowledged password of {email} does not work ({r.status})")
        checked += 1
    world.in_flight.clear()
    for entry in list(world.live_tokens):
        token = entry[1]
        if server.get("/v1/account", token=token).status != 200:
            if token in world.signing_out:  # its sign-out committed without an answer
                world.live_tokens.remove(entry)
                world.dead_tokens.append(token)
            else:
                losses.append("an acknowledged session does not work")
        checked += 1
    world.signing_out.clear()
    for token in world.dead_tokens:
        if server.get("/v1/account", token=token).status != 401:
            losses.append("a signed-out session still works")
        checked += 1
    return checked


def wait_for_outbox(db_path, timeout=30):
    """Every queued mail is delivered after the restart (at least once)."""
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        con = sqlite3.connect(db_path)
        left = con.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        con.close()
        if left == 0:
            return True
        time.sleep(0.1)  # bounded wait for the sender thread
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report", default="")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    server = Server()
    db_path = os.path.join(server.dir, "var", "twostep.db")
    mail_dir = os.path.join(server.dir, "var", "mail")
    world = World()
    pool = []
    for _ in range(args.workers):
        email = new_email()
        server.post("/v1/accounts", {"email": email, "password": PASSWORDS[0], "app": "kasa"})
        pool.append(email)
        world.password[email] = PASSWORDS[0]
    con = sqlite3.connect(db_path)
    con.execute("UPDATE accounts SET email_verified = 1")  # the pool skips the mail step
    con.commit()
    con.close()
    losses, kills, checked = [], 0, 0
    try:
        for round_no in range(args.rounds):
            stop = threading.Event()
            target = world.acks + rng.randint(1, 25)
            threads = [threading.Thread(target=worker, args=(server, world, pool[i], stop,
                                                             random.Random(rng.random())))
                       for i in range(args.workers)]
            for t in threads:
                t.start()
            while world.acks < target and any(t.is_alive() for t in threads):
                threads[0].join(0.005)  # kill once `target` changes were acknowledged
            server.kill()
            kills += 1
            stop.set()
            for t in threads:
                t.join()
            server.start()
            checked += check(server, world, db_path, mail_dir, losses)
            if not wait_for_outbox(db_path):
                losses.append("mail still queued 30 s after restart")
            if losses:
                print(f"round {round_no}: {losses[:5]}", file=sys.stderr)
                break
    finally:
        server.stop()
    report = {"rounds": round_no + 1, "kills": kills, "acknowledged_changes": world.acks,
              "checks": checked, "losses": len(losses)}
    print(json.dumps(report))
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
    return 0 if not losses else 1


if __name__ == "__main__":
    sys.exit(main())
