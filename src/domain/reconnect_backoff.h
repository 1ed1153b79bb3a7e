// When a client (twostep listen, the web app) tries again after its live
// connection ended: a close 1012/1001 from a draining instance, a dropped
// network, a refused connection. Jittered exponential back-off: the first
// try comes within kFirstWindow (the device is back on another instance at
// once), each further one doubles the window up to kLongestWindow, and half
// of each window is random ("equal jitter"), so the thousands of devices a
// restarted instance drops at the same moment spread over the window
// instead of returning as one wave. The web app's reconnect.ts states the
// same numbers. Pure.
#pragma once

#include <chrono>
#include <cstdint>

namespace twostep::domain {

inline constexpr std::chrono::milliseconds kFirstWindow{500};
inline constexpr std::chrono::milliseconds kLongestWindow{30000};

// The wait before try number `attempt` (0 = the first try after the
// connection ended), with `random` a uniform 32-bit value: in
// [window / 2, window] where window = min(kFirstWindow * 2^attempt,
// kLongestWindow).
std::chrono::milliseconds ReconnectDelay(int attempt, uint32_t random);

}  // namespace twostep::domain
