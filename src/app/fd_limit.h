// The open-file limit against server.max_connections: every connection is a
// descriptor, and a process that runs out of them cannot even refuse a
// connection properly (its accept loop can only wait, http/accept_loop.h).
// So at start the soft RLIMIT_NOFILE is raised towards the hard one, as far
// as the connection cap plus a reserve needs (systemd's default soft limit
// is 1024); when the hard limit is lower, a warning says that the
// descriptors, not the cap, will be the limit.
#pragma once

#include <cstddef>

namespace twostep::app {

// Descriptors kept for everything but client connections: store files or
// the PostgreSQL pool, the management listener, mail, GeoIP files, logs.
inline constexpr size_t kReservedDescriptors = 1024;

void FitOpenFileLimit(size_t max_connections);

}  // namespace twostep::app
