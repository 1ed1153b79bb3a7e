#!/usr/bin/env python3
"""Soak run (issue 16, item 5): mixed traffic against one twostepd for a
long time, with its resident memory and open file descriptors sampled at a
fixed interval and plotted.

    /usr/bin/python3 bench/soak.py                  # 20 minutes, samples every 10 s
    /usr/bin/python3 bench/soak.py --duration 120   # a short check

The traffic, from loopback, all at once (bench/soak_traffic.py):
  - in the warm-up, registrations of the population, each verified with the
    code from a real SMTP server (aiosmtpd, tests/integration/smtp_sink.py);
    then password resets by mailed code and registrations left unconfirmed;
  - sign-ins followed by reads (account, security, trusted devices, login
    activity), a refresh and a sign-out;
  - trusted devices coming and going on the WebSocket while a laptop
    signs in, gets challenged, and verifies the code the device received;
  - the test clock moved one day every --day-every seconds, with a retention
    of one day and housekeeping every 5 s, so that the data reaches its
    steady state (soak_traffic.py says why).
It runs niced (the machine is shared) and uses the build's twostepd with
the test configuration (tests/integration/harness.py: SQLite in a temp
dir, cheap Argon2id). Writes bench/results/soak.png and soak.json; exits 1
when memory or descriptors grew more than 5 % after the warm-up (the first
fifth of the run; memory by its floor, growth(); descriptors by their median,
median_growth()) or when any answer was not 2xx (503, load shed, is
allowed). --again SOAK_JSON summarises and plots a saved run instead."""

import argparse
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
os.environ.setdefault("TWOSTEPD", os.path.join(HERE, "..", "build", "twostepd"))

import harness  # noqa: E402
from harness import MANUAL_CLOCK_CONFIG, Server, SmtpSink  # noqa: E402
from soak_traffic import Traffic, devices, keeper, reader, registrar  # noqa: E402

GROWTH_LIMIT = 0.05
# Retention of a day (the least), pruned every 5 s of real time.
STEADY_CONFIG = """
[activity]
retention_days = 1
housekeeping_s = 5
"""
TABLES = ("accounts", "challenges", "token_families", "access_tokens", "refresh_tokens",
          "devices", "rate_hits", "outbox", "login_events", "push_tokens")


def sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss_kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return rss_kib / 1024.0, len(os.listdir(f"/proc/{pid}/fd"))


def sqlite_mib(server):
    """The SQLite file and its WAL: the store's page caches (64 MiB for the
    writer, 16 MiB per reader, adapters/sqlite) fill as it grows."""
    base = os.path.join(server.dir, "var", "twostep.db")
    return sum(os.path.getsize(p) for p in (base, base + "-wal") if os.path.exists(p)) / 2**20


def sqlite_memory_mib(server):
    """What SQLite itself holds in the process (its page caches above all),
    from /metrics: the part of RSS that follows the data, not a leak."""
    for line in server.metrics().splitlines():
        if line.startswith("twostep_sqlite_memory_bytes "):
            return float(line.split()[1]) / 2**20
    return None


def row_counts(server):
    """Rows per table of the store: what the data holds at this moment."""
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {t}" for t in TABLES)
    return {name: int(n) for name, n in server.query(sql)}


def median_growth(values, warmup):
    """Growth of the middle: the median of the last third after the warm-up
    against the median of the first third. A sample of descriptors counts
    the connections in flight at that moment, which come and go both ways
    (one quiet moment is a low floor); what leaks raises the median."""
    after = values[warmup:]
    if len(after) < 6:
        return 0.0
    k = len(after) // 3

    def median(xs):
        xs = sorted(xs)
        return (xs[(len(xs) - 1) // 2] + xs[len(xs) // 2]) / 2
    return median(after[-k:]) / median(after[:k]) - 1


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
    if "sqlite_heap_mib" in samples[0]:
        top.plot(ts, [s["sqlite_heap_mib"] for s in samples], color="tab:red",
                 label="SQLite's memory in the process")
    top.set_ylabel("MiB")
    if "rows" in samples[0]:
        rows = top.twinx()
        rows.plot(ts, [s["rows"] / 1000 for s in samples], color="tab:purple", alpha=0.6,
                  label="rows in the store (thousands, right)")
        rows.set_ylabel("thousand rows")
        rows.set_ylim(0, max(s["rows"] for s in samples) / 1000 * 1.6)
        rows.legend(loc="upper right", fontsize="small")
    bottom.plot(ts, [s["fds"] for s in samples], marker=".", color="tab:orange")
    bottom.set_ylabel("open descriptors")
    bottom.set_xlabel("minutes")
    for ax in (top, bottom):
        ax.axvspan(0, warmup_s / 60, color="0.9", label="warm-up")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
    # Headroom above the lines for the legends.
    top.set_ylim(0, max(s["rss_mib"] for s in samples) * 1.6)
    top.legend(loc="upper left", fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=1200, help="seconds (default 1200)")
    parser.add_argument("--interval", type=float, default=10, help="seconds between samples")
    parser.add_argument("--out", default=os.path.join(HERE, "results"), help="output directory")
    parser.add_argument("--day-every", type=float, default=20,
                        help="seconds between two moves of the test clock by one day")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: a fresh database in the cluster TEST_PG_URL names "
                             "(no page cache in the process, so its own growth shows alone)")
    parser.add_argument("--again", metavar="SOAK_JSON",
                        help="no run: summarise and plot a saved soak.json again into --out")
    args = parser.parse_args()
    if args.again:
        with open(args.again) as f:
            return summarize(json.load(f), args.out)
    harness.BACKEND = args.backend
    os.nice(10)  # the machine is shared; twostepd inherits it
    smtp = SmtpSink()
    server = Server(smtp=smtp, extra_config=MANUAL_CLOCK_CONFIG + STEADY_CONFIG)
    started = time.monotonic()
    t = Traffic(server, smtp, started + args.duration)
    workers = [threading.Thread(target=f, args=(t,), daemon=True)
               for f in (registrar, registrar, reader, reader, devices)]
    workers.append(threading.Thread(target=keeper, args=(t, args.day_every), daemon=True))
    for w in workers:
        w.start()
    samples = []
    try:
        while True:
            rss, fds = sample(server.proc.pid)
            samples.append({"t": round(time.monotonic() - started, 1), "rss_mib": round(rss, 2),
                            "fds": fds, "rows": sum(row_counts(server).values()),
                            "days": t.days})
            if server.backend == "sqlite":
                samples[-1]["db_mib"] = round(sqlite_mib(server), 2)
                samples[-1]["sqlite_heap_mib"] = round(sqlite_memory_mib(server), 2)
            print(f"{samples[-1]['t']:7.0f} s  rss {rss:7.1f} MiB  fds {fds:4d}  "
                  f"sqlite {samples[-1].get('sqlite_heap_mib', 0):5.1f} MiB  rows {samples[-1]['rows']:7d}  day {t.days:3d}  "
                  f"answers {sum(t.statuses.values())}", flush=True)
            if not t.running():
                break
            time.sleep(min(args.interval, max(0.0, t.deadline - time.monotonic())))
        for w in workers:
            w.join(60)
        rows = row_counts(server)
    finally:
        server.stop()
        smtp.stop()
    result = {
        "backend": args.backend,
        "duration_s": args.duration, "interval_s": args.interval,
        "day_every_s": args.day_every, "days": t.days,
        "answers": dict(sorted(t.statuses.items())),
        "rows_at_end": rows,
        "unexpected": t.unexpected[:20],
        "samples": samples,
    }
    return summarize(result, args.out)


def summarize(result, out):
    """The growths of a run's samples, its soak.json and soak.png; 0 when
    they hold. (--again: of a run saved before, e.g. after a change here.)"""
    samples = result["samples"]
    warmup_s = result["duration_s"] / 5
    warmup = sum(1 for s in samples if s["t"] < warmup_s)
    result["warmup_s"] = warmup_s
    result["rss_growth_after_warmup"] = round(growth([s["rss_mib"] for s in samples], warmup), 4)
    result["fd_growth_after_warmup"] = round(
        median_growth([s["fds"] for s in samples], warmup), 4)
    if "sqlite_heap_mib" in samples[0]:
        # The part of RSS SQLite holds (page caches, bounded by cache_size)
        # follows the data; without it, what the process itself grew.
        result["sqlite_heap_growth_after_warmup"] = round(
            growth([s["sqlite_heap_mib"] for s in samples], warmup), 4)
        result["rss_without_sqlite_growth_after_warmup"] = round(
            growth([s["rss_mib"] - s["sqlite_heap_mib"] for s in samples], warmup), 4)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "soak.json"), "w") as f:
        json.dump(result, f, indent=1)
    plot(samples, warmup_s, os.path.join(out, "soak.png"),
         f"twostepd soak ({result['backend']}), {result['duration_s'] / 60:g} min: RSS growth "
         f"{result['rss_growth_after_warmup']:+.1%}, fds {result['fd_growth_after_warmup']:+.1%}")
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    ok = (result["rss_growth_after_warmup"] <= GROWTH_LIMIT
          and result["fd_growth_after_warmup"] <= GROWTH_LIMIT and not result["unexpected"])
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
