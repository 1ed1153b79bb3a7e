#!/usr/bin/env python3
"""Collects the raw outputs of bench/run.sh into bench/results/latest.json
(a list of {scenario, metric, value, unit, target, met} plus the machine and
the git commit) and a readable latest.md. A target that was not met is
reported as not met; a scenario that did not run is reported as skipped."""
import glob
import json
import os
import platform
import subprocess
import sys
import time

raw_dir, json_out, md_out = sys.argv[1:4]


def load(name):
    path = os.path.join(raw_dir, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError:  # the step crashed before writing its line
            return None


rows = []


def add(scenario, metric, value, unit, target=None, op=None):
    """op: '>=' or '<=' against target; None = reported only."""
    met = None
    row = {"scenario": scenario, "metric": metric,
           "value": None if value is None else round(value, 4), "unit": unit,
           "target": None if target is None else f"{op} {target}", "met": met}
    if target is not None:
        if value is None:
            # A measurement that did not happen is not a target met.
            row["met"] = False
            row["note"] = "NOT MEASURED (see the run's log)"
        else:
            row["met"] = value >= target if op == ">=" else value <= target
    rows.append(row)


def ratio(a, b):
    return a / b if a is not None and b else None


def get(d, *path):
    for p in path:
        if d is None:
            return None
        d = d.get(p)
    return d


def turns(prefix):
    """The raw results PREFIX_1, PREFIX_2, ... that the run wrote."""
    n = len(glob.glob(os.path.join(raw_dir, f"{prefix}_[0-9]*.json")))
    return [load(f"{prefix}_{r}") for r in range(1, n + 1)]


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


# 1. Sign-in throughput vs raw Argon2id, in turns: raw, sign-ins, raw, ...,
# raw; each sign-in turn against the mean of the raw turns around it, and
# the median of those ratios (the host's drift makes single turns unreliable).
S1 = "1 sign-in throughput"
raw = [get(x, "per_s") for x in turns("argon2")]
signins = turns("signin")
turn_ratios = []
for i, sg in enumerate(signins):
    around = [x for x in raw[i:i + 2] if x is not None]
    turn_ratios.append(ratio(get(sg, "ok_per_s"), sum(around) / len(around) if around else None))
known = [x for x in raw if x is not None]
add(S1, f"raw Argon2id hashes/s (t=2, m=19 MiB, p=1, all cores, nice 10), mean of {len(raw)} turns",
    sum(known) / len(known) if known else None, "1/s")
known = [get(sg, "ok_per_s") for sg in signins if get(sg, "ok_per_s") is not None]
add(S1, f"trusted sign-ins/s (200 answers), mean of {len(signins)} turns", sum(known) / len(known) if known else None, "1/s")
add(S1, "sign-in p50 (16 connections, closed loop)", get(signins[0], "latency_2xx", "p50_ms"), "ms")
rows.append({"scenario": S1, "metric": "sign-ins/s / raw hashes/s, each turn", "value": None,
             "unit": "ratio", "target": None, "met": None,
             "note": ", ".join("-" if x is None else f"{x:.3f}" for x in turn_ratios)})
add(S1, "sign-ins/s / raw hashes/s (median of turns)", median(turn_ratios), "ratio", 1.05, ">=")

# 2. Light authenticated requests vs /healthz and nginx, rounds of turns;
# the median of the rounds' ratios.
S2 = "2 light requests"


def add_round_ratios(name, conns, sides, bases, target, scenario=S2, base_key="ok_per_s"):
    """Each round's ratio of `sides` to `bases` req/s, then their median against `target`."""
    ratios = [ratio(get(a, "ok_per_s"), get(b, base_key)) for a, b in zip(sides, bases)]
    rows.append({"scenario": scenario, "metric": f"{name} req/s, {conns} conns, each round",
                 "value": None, "unit": "ratio", "target": None, "met": None,
                 "note": ", ".join("-" if x is None else f"{x:.2f}" for x in ratios)})
    add(scenario, f"{name} req/s, {conns} conns (median of {len(ratios)} rounds)",
        median(ratios), "ratio", target, ">=")


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


# Issue #18's targets: measured with wrk, nginx logging every request with as
# many workers as twostepd has I/O threads.
for conns in (100, 1000):
    sec = turns(f"security_{conns}")
    hz = turns(f"healthz_{conns}")
    ngx = turns(f"nginx_{conns}")
    add(S2, f"GET /v1/account/security req/s, {conns} conns", mean([get(x, "ok_per_s") for x in sec]), "1/s")
    add(S2, f"GET /v1/account/security p50, {conns} conns", mean([get(x, "latency", "p50_ms") for x in sec]), "ms")
    add(S2, f"GET /v1/account/security p99, {conns} conns", mean([get(x, "latency", "p99_ms") for x in sec]), "ms")
    add(S2, f"GET /healthz req/s, {conns} conns", mean([get(x, "ok_per_s") for x in hz]), "1/s")
    add(S2, f"GET /healthz p50, {conns} conns", mean([get(x, "latency", "p50_ms") for x in hz]), "ms")
    add(S2, f"GET /healthz p99, {conns} conns", mean([get(x, "latency", "p99_ms") for x in hz]), "ms")
    add_round_ratios("security / healthz", conns, sec, hz, 0.70)
    if any(x is not None for x in ngx):
        add(S2, f"nginx fixed 200 req/s, {conns} conns", mean([get(x, "ok_per_s") for x in ngx]), "1/s")
        add(S2, f"nginx fixed 200 p50, {conns} conns", mean([get(x, "latency", "p50_ms") for x in ngx]), "ms")
        add_round_ratios("healthz / nginx", conns, hz, ngx, 0.85)
        add_round_ratios("security / nginx", conns, sec, ngx, 0.60)
    else:
        rows.append({"scenario": S2, "metric": f"security / nginx req/s, {conns} conns",
                     "value": None, "unit": "ratio", "target": ">= 0.6", "met": False,
                     "note": "NOT MEASURED: nginx not installed"})

# 3. Code delivery; 4. memory (both from the ws-codes run on the big store).
ws = load("ws")
S3 = "3 code delivery"
add(S3, "trusted devices connected (WebSocket)", get(ws, "devices_connected"), "count")
add(S3, "new-device sign-ins offered per s", get(ws, "signins", "offered_rate"), "1/s")
add(S3, "new-device sign-ins answered 202 per s", ratio(get(ws, "delivery", "answered_202"),
                                                        get(ws, "signins", "elapsed_s")), "1/s")
add(S3, "raw Argon2id hashes/s at these parameters (t=1, m=8 MiB, the configuration's floor), the ceiling",
    get(load("argon2_floor"), "per_s"), "1/s")
add(S3, "raw Argon2id hashes/s, measured again after the run", get(load("argon2_floor_after"), "per_s"), "1/s")
# Where the cores went: the ceiling is both cores hashing and nothing else,
# so offering 90 % of it leaves 1/0.9 - 1 = 11 % of a hash's CPU for all the
# rest a sign-in costs, the load generator's share included.
answered = get(ws, "delivery", "answered_202")
add(S3, "raw Argon2id CPU per hash", get(load("argon2_floor"), "cpu_ms_per_hash"), "ms")
add(S3, "server CPU per answered sign-in (hash included)",
    ratio(get(ws, "signins", "server_cpu_s"), answered) and 1000 * ratio(get(ws, "signins", "server_cpu_s"), answered),
    "ms")
add(S3, "load generator CPU per answered sign-in (same cores)",
    ratio(get(ws, "signins", "generator_cpu_s"), answered)
    and 1000 * ratio(get(ws, "signins", "generator_cpu_s"), answered), "ms")
# Above ~1 the offered rate needs more CPU than the cores have, and the
# hashing queue fills whatever its length: shedding is capacity, not a bug.
cores = get(load("argon2_floor"), "threads")
cpu_per = None
if get(ws, "signins", "server_cpu_s") is not None and get(ws, "signins", "generator_cpu_s") is not None:
    cpu_per = ratio(get(ws, "signins", "server_cpu_s") + get(ws, "signins", "generator_cpu_s"), answered)
add(S3, "CPU the offered rate needs at that cost (server + generator), share of all cores",
    ratio(cpu_per and cpu_per * get(ws, "signins", "offered_rate"), cores), "ratio")
add(S3, "new-device sign-ins shed with 503 (offered at 90 % of the ceiling)",
    get(ws, "signins", "statuses", "503") or 0 if ws else None, "count", 0, "<=")
# When: spread over the run is a server at its capacity, clustered a stall.
shed_seconds = get(ws, "signins", "refused_by_second", "503")
if shed_seconds:
    rows[-1]["note"] = f"in {len(shed_seconds)} of the run's seconds: " + ", ".join(
        f"s{k}: {v}" for k, v in sorted(shed_seconds.items(), key=lambda kv: -kv[1])[:5]) + ", ..."
add(S3, "codes delivered", get(ws, "delivery", "delivered"), "count")
add(S3, "codes missing", get(ws, "delivery", "missing"), "count", 0, "<=")
# Why (the generator's reading of its device's state at the 202): only
# "device_connected" would be the server failing a live trusted device.
if get(ws, "delivery", "missing_by_reason"):
    rows[-1]["note"] = ", ".join(f"{n} {r}" for r, n in get(ws, "delivery", "missing_by_reason").items())
add(S3, "trusted devices' connections lost during the run", get(ws, "connections_lost"), "count")
if get(ws, "connections_lost_by_reason"):
    rows[-1]["note"] = ", ".join(f"{n} {r}" for r, n in get(ws, "connections_lost_by_reason").items())
add(S3, "202 -> verification_code p50", get(ws, "delivery", "latency", "p50_ms"), "ms")
# No code delivered is no latency measured, not a p99 of 0.
add(S3, "202 -> verification_code p99",
    get(ws, "delivery", "latency", "p99_ms") if get(ws, "delivery", "delivered") else None, "ms", 5, "<=")
add(S3, "codes that arrived before their 202", get(ws, "delivery", "arrived_before_202"), "count")
add(S3, "request sent -> verification_code p50", get(ws, "delivery", "since_request_sent", "p50_ms"), "ms")
add(S3, "request sent -> verification_code p99", get(ws, "delivery", "since_request_sent", "p99_ms"), "ms")
add(S3, "new-device sign-in p99 (open loop)", get(ws, "signins", "latency", "p99_ms"), "ms")
S4 = "4 memory"


def per_device_rows(scenario, result, label):
    """Resident memory per idle device. The runner reads RSS before, with the
    first half of the devices connected and with all of them, and each time
    the SQLite page caches (twostep_sqlite_memory_bytes on /metrics: the
    devices' sign-ins fill them from the store, and cache_size bounds them
    whatever the number of devices). The target is the second half's growth
    per device without the caches: what one more idle device costs. The
    first half also holds what a fresh process grows once (allocator
    arenas); all figures are shown."""
    raw = get(result, "bytes_per_connection")
    cache = get(result, "sqlite_cache_growth_bytes")
    net = get(result, "bytes_per_connection_without_sqlite_cache")
    marginal = get(result, "bytes_per_connection_second_half_without_sqlite_cache")
    add(scenario, f"RSS growth per device while all connected, SQLite page caches included ({label})",
        None if raw is None else raw / 1024, "KiB")
    add(scenario, "SQLite page caches' growth meanwhile (bounded by cache_size)",
        None if cache is None else cache / 1048576, "MiB")
    add(scenario, f"RSS growth per device, all of them, without the SQLite caches ({label})",
        None if net is None else net / 1024, "KiB")
    # An older result without the half-way reading has only the raw figure.
    value = marginal if marginal is not None else raw
    add(scenario, f"resident memory per idle connected device: second half's growth, without the SQLite caches ({label})",
        None if value is None else value / 1024, "KiB", 4, "<=")


per_device_rows(S4, ws, "10,000")
add(S4, "total RSS, big store + 10,000 connected devices", get(ws, "rss_connected_kib") and get(ws, "rss_connected_kib") / 1024, "MiB")
add(S4, "RSS before the devices connected", get(ws, "rss_before_kib") and get(ws, "rss_before_kib") / 1024, "MiB")
add(S4, "accounts in the big store", get(load("seed_big"), "accounts"), "count")

# 7. Many devices: 100,000 idle WebSockets in one process, then code delivery.
many = load("ws_many")
S7 = "7 many devices"
limits = load("ws_many_limits")
add(S7, "idle devices connected (of 100,000)", get(many, "devices_connected"), "count", 100000, ">=")
if get(limits, "devices_asked") is not None and get(limits, "devices_asked") < 100000:
    rows[-1]["note"] = (f"only {get(limits, 'devices_asked')} asked: the open-file hard limit here is "
                        f"{get(limits, 'nofile_hard')} and cannot be raised (no CAP_SYS_RESOURCE)")
add(S7, "time to connect them all", get(many, "connect_seconds"), "s")
add(S7, "total RSS with them connected", get(many, "rss_connected_kib") and get(many, "rss_connected_kib") / 1024,
    "MiB", 512, "<=")
per_device_rows(S7, many, f"{get(many, 'devices_connected') or 0:,} of 100,000")
add(S7, "codes missing with them connected", get(many, "delivery", "missing"), "count", 0, "<=")
add(S7, "202 -> verification_code p99 with them connected", get(many, "delivery", "latency", "p99_ms"), "ms", 5, "<=")
add(S7, "new-device sign-ins shed with 503", get(many, "signins", "statuses", "503") or 0 if many else None,
    "count", 0, "<=")

# 5. Growth: p50 with the big store vs 10,000 accounts, three alternating
# rounds; the median of the rounds' ratios.
S5 = "5 growth"
big_n = get(load("seed_big"), "accounts")




for name, kind, key in (("GET /v1/account/security (64 conns)", "security", "latency"),
                        ("POST /v1/challenges/{id}/verify (100/s)", "verify", "latency_2xx")):
    small = [get(load(f"growth_{kind}_small_{r}"), key, "p50_ms") for r in (1, 2, 3)]
    big = [get(load(f"growth_{kind}_big_{r}"), key, "p50_ms") for r in (1, 2, 3)]
    ratios = [ratio(b, s_) for s_, b in zip(small, big)]
    add(S5, f"{name} p50, 10,000 accounts (median of 3 rounds)", median(small), "ms")
    add(S5, f"{name} p50, {big_n} accounts (median of 3 rounds)", median(big), "ms")
    rows.append({"scenario": S5, "metric": f"{name} p50 ratio big / small, each round",
                 "value": None, "unit": "ratio", "target": None, "met": None,
                 "note": ", ".join("-" if x is None else f"{x:.2f}" for x in ratios)})
    add(S5, f"{name} p50 ratio big / small (median of rounds)", median(ratios), "ratio", 1.3, "<=")
add(S5, f"seeding {big_n} accounts", get(load("seed_big"), "seconds"), "s")

# 6. Overload at twice the hashing capacity.
over, probe, after = load("overload"), load("overload_healthz"), load("overload_after")
S6 = "6 overload"
add(S6, "offered sign-ins/s", get(over, "offered_rate"), "1/s")
add(S6, "sign-ins answered 200 per s", get(over, "ok_per_s"), "1/s")
n503 = get(over, "statuses", "503") or 0
add(S6, "answers 503 (shed)", n503, "count", 1, ">=")
add(S6, "503 answers without Retry-After", get(over, "missing_retry_after"), "count", 0, "<=")
add(S6, "GET /healthz p99 during overload", get(probe, "latency", "p99_ms"), "ms", 10, "<=")
add(S6, "server alive after (1 = yes)", 1 if get(after, "alive_after") else 0, "bool", 1, ">=")
rss0, rssmax = get(over, "rss_start_kib"), get(over, "rss_max_kib")
add(S6, "max RSS during overload", rssmax and rssmax / 1024, "MiB")
# Bounded: each hashing thread holds at most one 19 MiB Argon2 block; allow
# 64 MiB more for queued requests and connections.
bound = None if rss0 is None else (rss0 + os.cpu_count() * 19456 + 65536) / 1024
add(S6, "max RSS growth under overload", None if rss0 is None else (rssmax - rss0) / 1024, "MiB",
    None if bound is None else round(bound - rss0 / 1024, 1), "<=")

# PostgreSQL pass.
SP = "postgresql"
pg_skip = load("pg_skipped")
if pg_skip is not None:
    rows.append({"scenario": SP, "metric": "PostgreSQL pass", "value": None, "unit": "",
                 "target": None, "met": None, "note": "skipped: " + pg_skip["skipped"]})
elif turns("pg_security_64"):
    pg_sec, pgb = turns("pg_security_64"), turns("pgbench")
    add(SP, "GET /v1/account/security req/s, 64 conns", mean([get(x, "ok_per_s") for x in pg_sec]), "1/s")
    add(SP, "GET /v1/account/security p50, 64 conns", mean([get(x, "latency", "p50_ms") for x in pg_sec]), "ms")
    add(SP, "pgbench -S transactions/s, the pool's connections", mean([get(x, "tps") for x in pgb]), "1/s")
    add_round_ratios("security / pgbench -S", 64, pg_sec, pgb, 0.50, scenario=SP, base_key="tps")
    add(SP, "GET /healthz req/s, 64 conns", get(load("pg_healthz_64"), "ok_per_s"), "1/s")
    add(SP, "verify p50", get(load("pg_verify"), "latency_2xx", "p50_ms"), "ms")
else:
    rows.append({"scenario": SP, "metric": "PostgreSQL pass", "value": None, "unit": "",
                 "target": None, "met": None, "note": "not run: TWOSTEP_BENCH_PG_URL unset"})

# Micro-suite.
micro = load("micro")
for b in (micro or {}).get("benchmarks", []):
    add("micro", b["name"], b["real_time"], b["time_unit"])


def sh(*cmd):
    try:
        return subprocess.check_output(cmd, text=True, stderr=subprocess.DEVNULL).strip()
    except Exception:
        return ""


cpu = ""
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
with open("/proc/meminfo") as f:
    mem_kib = int(f.readline().split()[1])
machine = {"loadavg_at_start": get(load("loadavg"), "loadavg_at_start"), "cpu": cpu, "cores": os.cpu_count(), "memory_mib": mem_kib // 1024,
           "kernel": platform.release(), "os": sh("sh", "-c", ". /etc/os-release; echo $PRETTY_NAME")}
# The commit the run measured (recorded by run.sh when it started).
run = load("run") or {"commit": sh("git", "rev-parse", "HEAD"), "dirty": True}
commit, dirty = run["commit"], run["dirty"]
doc = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
       "commit": commit + ("-dirty" if dirty else ""), "machine": machine, "results": rows}
with open(json_out, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
    return f"{v:,}"


here = os.path.dirname(os.path.abspath(__file__))
lines = ["# twostepd benchmark results", "",
         f"Generated {doc['generated_at']} by `bash bench/run.sh` at commit `{doc['commit']}` on "
         f"{machine['cpu']} ({machine['cores']} cores, {machine['memory_mib']} MiB, {machine['os']}, "
         f"kernel {machine['kernel']}; load average at start {machine['loadavg_at_start']}). "
         "The load generator runs on the same cores as the server.", "",
         "| scenario | metric | value | unit | target | met |", "|---|---|---:|---|---|---|"]
for r in rows:
    met = {True: "yes", False: "**NO**", None: ""}[r["met"]]
    if r.get("note"):
        met = (met + " " if r["met"] is False else "") + r["note"]
    lines.append(f"| {r['scenario']} | {r['metric']} | {fmt(r['value'])} | {r['unit']} | "
                 f"{r['target'] or ''} | {met} |")
missed = [r for r in rows if r["met"] is False]
lines += ["", f"Targets met: {sum(1 for r in rows if r['met'] is True)}, "
          f"not met: {len(missed)}."]
analysis = os.path.join(here, "ANALYSIS.md")
if os.path.exists(analysis):
    with open(analysis) as f:
        lines += ["", f.read().strip()]
with open(md_out, "w") as f:
    f.write("\n".join(lines) + "\n")
