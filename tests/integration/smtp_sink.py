#!/usr/bin/env python3
"""A real SMTP server on loopback for tests (Debian's python3-aiosmtpd).

Prints `listening on HOST:PORT` first, then one JSON line per received
message: {"mail_from", "rcpt_tos", "data"}. With --reject-file, a recipient
listed in that file (one address a line, read at every RCPT) is refused
with `550 5.1.1` and reported as {"rejected": ADDRESS}. Port 0 picks a free
port. Exits on SIGTERM or when stdin closes."""

import argparse
import json
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Printer:
    def __init__(self, reject_file=None):
        self.lock = threading.Lock()
        self.reject_file = reject_file

    def _print(self, obj):
        with self.lock:
            sys.stdout.write(json.dumps(obj) + "\n")
            sys.stdout.flush()

    def _refused(self, address):
        if not self.reject_file:
            return False
        try:
            with open(self.reject_file) as f:
                return address.lower() in {line.strip().lower() for line in f}
        except FileNotFoundError:
            return False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._refused(address):
            self._print({"rejected": address})
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.content.decode("utf-8", errors="replace")
        self._print({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                     "data": data})
        return "250 Message accepted for delivery"


def free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--reject-file")
    args = parser.parse_args()
    port = args.port or free_port(args.host)
    controller = Controller(Printer(args.reject_file), hostname=args.host, port=port)
    controller.start()
    sys.stdout.write(f"listening on {args.host}:{port}\n")
    sys.stdout.flush()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
