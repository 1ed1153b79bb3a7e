// HttpServer's graceful drain (SPEC §4 "Operations", issue #22). Runs on the
// first io_context, where the signal set and the drain timer live.
//
// Why two phases: a WebSocket peer is asked to close (1012) and a request in
// flight is finished, but neither may hold the exit for long. A peer that
// never answers our close (a frozen app, a dead network) used to keep the
// process for the WebSocket close handshake timeout, 10 s with any device
// connected; now the drain waits for it only kCloseGrace.
#include <spdlog/spdlog.h>

#include "http/server_impl.h"
#include "http/wait_hub.h"

namespace twostep::http {

namespace {
// How often the drain looks whether it is done: the exit follows the last
// answer within this.
constexpr std::chrono::milliseconds kDrainPoll{10};
// How long the WebSocket peers get to answer the close before their
// connections are cut: enough for a live peer on any working network to
// answer, short enough that an idle instance exits well within 1 s.
constexpr std::chrono::milliseconds kCloseGrace{250};
}  // namespace

void HttpServer::Impl::BeginDrain() {
  if (stopping.exchange(true)) return;
  drain_started = std::chrono::steady_clock::now();
  // A load balancer sees the refused connection (or /healthz 503 on a
  // connection it still has) and sends to the other instances.
  public_loop.Close();
  signals.cancel();
  auto live = LiveConnections();
  spdlog::info(R"({{"event":"drain_started","connections":{},"in_flight":{}}})", live.size(),
               in_flight.load());
  for (auto& c : live) c->BeginDrain();
  // Held long-polls run their handler once more and answer (stopping is set).
  if (waits) waits->SignalAll();
  CheckDrain();
}

void HttpServer::Impl::CheckDrain() {
  const auto elapsed = std::chrono::steady_clock::now() - drain_started;
  const bool requests_done = in_flight.load() == 0;
  bool connections_gone;
  {
    std::lock_guard lock(sessions_mutex);
    connections_gone = sessions.empty();
  }
  const bool timed_out = elapsed >= options.drain_timeout;
  if ((requests_done && (connections_gone || elapsed >= kCloseGrace)) || timed_out) {
    if (!requests_done)
      spdlog::warn(R"({{"event":"drain_timeout","in_flight":{},"drain_timeout_s":{}}})",
                   in_flight.load(), options.drain_timeout.count());
    return FinishDrain();
  }
  drain_timer.expires_after(kDrainPoll);
  drain_timer.async_wait([this](boost::system::error_code ec) {
    if (!ec) CheckDrain();
  });
}

void HttpServer::Impl::FinishDrain() {
  if (management_loop) management_loop->Close();
  for (auto& c : LiveConnections()) c->Abort();
  // Each context's run() now returns once its last handlers have run.
  for (auto& guard : keep_running) guard.reset();
  for (auto& sweep : sweeps) sweep->Stop();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - drain_started);
  spdlog::info(R"({{"event":"drain_finished","ms":{}}})", ms.count());
}

}  // namespace twostep::http
