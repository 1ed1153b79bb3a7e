"""Connection handling (issue #23, item 13): an accept loop that backs off
instead of spinning when the process runs out of file descriptors (EMFILE)."""

import os
import re
import resource
import socket
import time
import unittest

from harness import Server

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def wait_until(condition, what, deadline_s=20):
    """Polls `condition` (it observes the server, which has no event to
    wait on for these) until true, failing after `deadline_s`."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {deadline_s}s")
        time.sleep(0.02)


def metric(text, sample):
    m = re.search(r"^" + re.escape(sample) + r" (\d+)$", text, re.M)
    return int(m.group(1)) if m else 0


class DescriptorExhaustionTest(unittest.TestCase):
    """With its descriptors used up, accept() fails with EMFILE while clients
    keep waiting in the listen backlog: the listening socket stays readable,
    and an accept loop that retries at once burns a core doing nothing."""

    LIMIT = 96  # RLIMIT_NOFILE of the server, soft and hard

    def test_accept_loop_backs_off_while_descriptors_are_exhausted(self):
        def low_fd_limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.LIMIT, self.LIMIT))

        server = Server(preexec_fn=low_fd_limit, env={
            # The held connections must not be closed by a timeout meanwhile.
            "TWOSTEP_SERVER_HEADER_TIMEOUT_S": "300", "TWOSTEP_SERVER_IDLE_TIMEOUT_S": "300"})
        clients = []
        try:
            pid = server.proc.pid
            # More connections than the server has descriptors: the rest wait
            # in the backlog (the kernel completes their handshakes).
            for _ in range(self.LIMIT + 20):
                clients.append(socket.create_connection((server.host, server.port), timeout=10))
            wait_until(lambda: open_fds(pid) >= self.LIMIT, "the server's descriptors used up")

            window = 1.5  # the measurement window, not a wait for an event
            before, start = cpu_seconds(pid), time.monotonic()
            time.sleep(window)
            used = (cpu_seconds(pid) - before) / (time.monotonic() - start)
            self.assertLess(used, 0.2, f"{used:.0%} of a core while out of descriptors")
            # Said once for the whole episode, not once per failed accept.
            self.assertEqual(server.logs().count('"event":"accept_paused"'), 1, server.logs()[-3000:])

            for c in clients:
                c.close()
            clients.clear()
            # It serves again once descriptors are free (after at most one
            # back-off period); this request waits in the backlog until then.
            self.assertEqual(server.get("/healthz").status, 200)
            self.assertIn('"event":"accept_resumed"', server.logs())
            failures = 'twostep_accept_errors_total{kind="fds_exhausted"}'
            self.assertGreaterEqual(metric(server.metrics(), failures), 1)
        finally:
            for c in clients:
                c.close()
            server.stop()


if __name__ == "__main__":
    unittest.main()
