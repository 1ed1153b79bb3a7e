#!/usr/bin/env python3
"""A real SMTP server on loopback for tests (Debian's python3-aiosmtpd).

Prints `listening on HOST:PORT` first, then one JSON line per received
message: {"mail_from", "rcpt_tos", "data"}. Port 0 picks a free port. Exits on
SIGTERM or when stdin closes."""

import argparse
import json
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Printer:
    def __init__(self):
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.content.decode("utf-8", errors="replace")
        line = json.dumps({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                           "data": data})
        with self.lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        return "250 Message accepted for delivery"


def free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port = args.port or free_port(args.host)
    controller = Controller(Printer(), hostname=args.host, port=port)
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
