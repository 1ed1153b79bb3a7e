"""Throw-away PostgreSQL clusters that a fault test owns alone: it may
restart, kill or fail over them without disturbing the shared test cluster
(scripts/pg-test-cluster.sh) that other suites use. Debian's PostgreSQL
binaries, loopback only, trust auth, a free port each, a temporary
directory each; as root the server runs as the postgres user (it refuses
root)."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from harness import psql


def pg_bin():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: int(d.split("/")[-2]))
    if not dirs:
        raise RuntimeError("PostgreSQL server not installed (apt-get install postgresql)")
    return dirs[-1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_pg(argv):
    return ["runuser", "-u", "postgres", "--"] + argv if os.geteuid() == 0 else argv


def run_pg(argv, timeout=120):
    r = subprocess.run(as_pg(argv), capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {r.stdout}{r.stderr}")
    return r.stdout


class Db:
    """A database URL for harness.Server(database=...) that the test owns."""

    def __init__(self, url):
        self.url = url


class Cluster:
    """One PostgreSQL server (a primary, or a standby made by standby_of)."""

    def __init__(self, name="pg", port=None, root=None):
        self.bin = pg_bin()
        self.port = port or free_port()
        self.root = root or tempfile.mkdtemp(prefix=f"twostep-{name}-")
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "server.log")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def options(self):
        # fsync stays on: the failover test counts acknowledged changes.
        return (f"-c listen_addresses=127.0.0.1 -c port={self.port}"
                f" -c unix_socket_directories={self.root} -c max_connections=100")

    def init(self, extra_conf=""):
        run_pg([f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-locale"])
        if extra_conf:
            self.append_conf(extra_conf)
        return self

    def append_conf(self, text):
        run_pg(["sh", "-c", f"cat >> {self.data}/postgresql.conf <<'EOF'\n{text}\nEOF"])

    def allow_replication(self):
        run_pg(["sh", "-c", "echo 'host replication all 127.0.0.1/32 trust'"
                f" >> {self.data}/pg_hba.conf"])

    def start(self):
        run_pg([f"{self.bin}/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60",
                "start", "-o", self.options()])
        return self

    def stop(self, mode="fast"):
        subprocess.run(as_pg([f"{self.bin}/pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"]),
                       capture_output=True, timeout=60)

    def restart(self):
        run_pg([f"{self.bin}/pg_ctl", "-D", self.data, "-l", self.log, "-m", "fast", "-w",
                "-t", "60", "restart", "-o", self.options()])

    def postmaster_pid(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def kill9(self):
        """kill -9 of the postmaster and every backend (a crashed host)."""
        pid = self.postmaster_pid()
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                  text=True).stdout.split()
        os.kill(pid, signal.SIGKILL)
        for c in children:
            try:
                os.kill(int(c), signal.SIGKILL)
            except ProcessLookupError:
                pass

    def promote(self):
        run_pg([f"{self.bin}/pg_ctl", "-D", self.data, "-w", "-t", "60", "promote"])

    def sql(self, text, db="postgres"):
        return psql(f"postgresql://postgres@127.0.0.1:{self.port}/{db}", text)

    def wait_ready(self, timeout=30):
        end = time.monotonic() + timeout
        while True:
            r = subprocess.run([f"{self.bin}/pg_isready", "-h", "127.0.0.1", "-p",
                                str(self.port)], capture_output=True)
            if r.returncode == 0:
                return
            if time.monotonic() > end:
                raise TimeoutError("PostgreSQL not ready")
            time.sleep(0.05)  # polling a process state with a bound

    def destroy(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
