-- bench/wrk/report.lua: wrk's end-of-run hook, shared by every wrk scenario.
-- Prints one JSON line with the fields bench/report.py reads for the C++
-- load generator's runs (ok_per_s, latency.p50_ms, latency.p99_ms), so the
-- report does not care which tool measured. wrk counts a non-2xx/3xx answer
-- in errors.status; those are not "ok".
function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local ok = summary.requests - e.status
  io.write(string.format(
    '{"tool":"wrk","requests":%d,"ok":%d,"seconds":%.3f,"ok_per_s":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency":{"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f}}\n',
    summary.requests, ok, secs, ok / secs,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
