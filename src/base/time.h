// Timestamp: UTC wall-clock time with millisecond resolution, the one time
// type of the project (stored as integer milliseconds since the epoch).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace twostep {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

inline int64_t ToMillis(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMillis(int64_t ms) { return Timestamp(milliseconds(ms)); }

// RFC 3339 in UTC with milliseconds, e.g. "2026-11-24T15:06:06.123Z".
std::string FormatRfc3339(Timestamp t);
// RFC 5322 date for mail headers, e.g. "Tue, 24 Nov 2026 15:06:06 +0000".
std::string FormatRfc5322(Timestamp t);

}  // namespace twostep
