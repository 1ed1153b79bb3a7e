#include "adapters/postgres/pg_fanout.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "adapters/postgres/fanout_message.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_store.h"
#include "domain/random_values.h"

namespace twostep::pg {

namespace {

// How long a message stays acceptable after it was sent (and how long its
// id is remembered): far above the milliseconds a NOTIFY takes, and above
// the clock skew of NTP-synchronised hosts.
constexpr auto kReplayWindow = std::chrono::seconds(120);
// Ids remembered at most (a few MiB): beyond, the oldest are dropped and
// nothing older is accepted (see ReplayGuard).
constexpr size_t kReplayCapacity = 200000;
// The listening connection mostly waits: without keepalive a peer that
// vanished (host down, network cut, no RST) would leave it deaf for the
// kernel's two hours. With these libpq settings it is noticed in about
// 10 + 5 * 3 = 25 s (within kCatchUpMargin).
const ConnectionOptions kListenKeepalive{
    {"keepalives", "1"}, {"keepalives_idle", "10"}, {"keepalives_interval", "5"},
    {"keepalives_count", "3"}};

int64_t WallClockMillis() {
  // The real clock, not the service's Clock: the instances compare their
  // send times, and tests move the service clock of one instance only.
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PgFanout::PgFanout(PgStore& store, LocalDevices local, const ServerKeys& keys, Random& random,
                   Counters& counters, std::chrono::seconds sweep_interval)
    : store_(store),
      local_(std::move(local)),
      random_(random),
      counters_(counters),
      sweep_interval_(sweep_interval),
      instance_id_(domain::GenerateId(random, "ins_")),
      key_(FanoutKey(keys.seal_key)),
      replay_guard_(kReplayWindow, kReplayCapacity) {
  for (const auto& [id, pair] : keys.others) other_keys_.push_back(FanoutKey(pair.seal_key));
}

PgFanout::~PgFanout() { Stop(); }

void PgFanout::Notify(const std::string& account_id, const std::string& device_id,
                      const Notification& notification) {
  if (local_.deliver) local_.deliver->Notify(account_id, device_id, notification);
  try {
    FanoutEnvelope envelope{instance_id_, account_id, device_id,
                            domain::GenerateId(random_, "msg_"), WallClockMillis()};
    store_.Publish(kNotifyChannel, SealFanoutMessage(key_, envelope, notification, random_));
  } catch (const std::exception& e) {
    // Best effort like every live message: codes are still in
    // /v1/notifications/pending, and the other instances' sweep closes
    // devices that were signed out.
    spdlog::warn(R"({{"event":"fanout_publish_failed","error":"{}"}})", e.what());
  }
}

void PgFanout::Start() {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { Run(); });
}

void PgFanout::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof one) < 0) {
    // The listener wakes at its next poll timeout anyway.
  }
  thread_.join();
  ::close(wake_fd_);
}

bool PgFanout::WaitListening(int generation, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return listening_changed_.wait_for(lock, timeout,
                                     [&] { return listen_generation_ >= generation; });
}

void PgFanout::Run() {
  auto backoff = std::chrono::milliseconds(100);
  while (!stopping_) {
    auto started = std::chrono::steady_clock::now();
    Listen();
    if (stopping_) break;
    // A connection that lived a while resets the back-off.
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(10))
      backoff = std::chrono::milliseconds(100);
    pollfd p{wake_fd_, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(backoff.count()));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

void PgFanout::Listen() {
  std::unique_ptr<Connection> conn;
  try {
    conn = std::make_unique<Connection>(store_.url(), kListenKeepalive);
    conn->Exec((std::string("LISTEN ") + kNotifyChannel).c_str());
  } catch (const std::exception& e) {
    spdlog::warn(R"({{"event":"fanout_listen_failed","error":"{}"}})", e.what());
    return;
  }
  spdlog::info(R"({"event":"fanout_listening"})");
  Sweep();  // anything missed while not listening
  CatchUp();
  {
    std::lock_guard lock(mutex_);
    ++listen_generation_;
  }
  listening_changed_.notify_all();
  PGconn* pq = conn->raw();
  auto next_sweep = std::chrono::steady_clock::now() + sweep_interval_;
  while (!stopping_) {
    pollfd fds[2] = {{PQsocket(pq), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        next_sweep - std::chrono::steady_clock::now());
    int n = ::poll(fds, 2, static_cast<int>(std::max<int64_t>(0, wait.count())));
    if (stopping_) return;
    if (n > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP))) {
      if (!PQconsumeInput(pq) || PQstatus(pq) != CONNECTION_OK) {
        spdlog::warn(R"({"event":"fanout_connection_lost"})");
        // The first loss counts: a catch-up that failed keeps the older gap.
        if (!lost_at_) lost_at_ = Timestamp(std::chrono::milliseconds(WallClockMillis()));
        return;
      }
      while (PGnotify* note = PQnotifies(pq)) {
        std::string payload = note->extra;
        PQfreemem(note);
        Deliver(payload);
      }
    }
    if (std::chrono::steady_clock::now() >= next_sweep) {
      Sweep();
      next_sweep = std::chrono::steady_clock::now() + sweep_interval_;
    }
  }
}

void PgFanout::Refuse(std::string_view kind) {
  // Never the payload: it may hold a sealed code, and a forger's text has
  // no place in the logs.
  counters_.Increment("fanout_messages_refused", kind);
  spdlog::warn(R"({{"event":"fanout_message_refused","kind":"{}"}})", kind);
}

void PgFanout::Deliver(const std::string& payload) {
  auto m = OpenFanoutMessage(key_, payload);
  for (size_t i = 0; !m && i < other_keys_.size(); ++i) m = OpenFanoutMessage(other_keys_[i], payload);
  if (!m) return Refuse("unauthenticated");
  const FanoutEnvelope& e = m->envelope;
  if (e.origin == instance_id_ || !local_.deliver) return;
  switch (replay_guard_.Admit(e.message_id, e.sent_at_ms, WallClockMillis())) {
    case ReplayGuard::Verdict::kStale: return Refuse("stale");
    case ReplayGuard::Verdict::kReplayed: return Refuse("replayed");
    case ReplayGuard::Verdict::kFresh: break;
  }
  if (!DeviceMayReceive(e.account_id, e.device_id, m->notification)) return;
  local_.deliver->Notify(e.account_id, e.device_id, m->notification);
}

bool PgFanout::DeviceMayReceive(const std::string& account_id, const std::string& device_id,
                                const Notification& n) {
  // Only a sender holding the key gets this far; the read still guarantees
  // that no message reaches a device outside its account, whatever the
  // sender was tricked into sealing.
  std::optional<domain::DeviceRecord> device;
  try {
    device = store_.BeginRead()->FindDevice(account_id, device_id);
  } catch (const std::exception& e) {
    // Best effort like every live message (see Notify).
    spdlog::warn(R"({{"event":"fanout_device_check_failed","error":"{}"}})", e.what());
    return false;
  }
  if (!device) {
    Refuse("unknown_device");
    return false;
  }
  if (!std::holds_alternative<SignedOut>(n) && !device->trusted) {
    Refuse("untrusted_device");
    return false;
  }
  return true;
}

void PgFanout::CatchUp() {
  if (!lost_at_ || !local_.catch_up) return;
  const Timestamp since = *lost_at_ - kCatchUpMargin;
  try {
    local_.catch_up(since);
    lost_at_.reset();
    spdlog::info(R"({"event":"fanout_caught_up"})");
  } catch (const std::exception& e) {
    // Kept for the next reconnect; the pending list still has the codes.
    spdlog::warn(R"({{"event":"fanout_catch_up_failed","error":"{}"}})", e.what());
  }
}

void PgFanout::Sweep() {
  if (!local_.list || !local_.deliver) return;
  auto connected = local_.list();
  if (connected.empty()) return;
  std::vector<std::pair<std::string, std::string>> still;
  try {
    still = store_.StillSignedIn(connected);
  } catch (const std::exception& e) {
    spdlog::warn(R"({{"event":"fanout_sweep_failed","error":"{}"}})", e.what());
    return;
  }
  std::sort(still.begin(), still.end());
  for (const auto& d : connected) {
    if (std::binary_search(still.begin(), still.end(), d)) continue;
    local_.deliver->Notify(d.first, d.second, SignedOut{SignOutReason::kSignedOut, {}});
  }
}

}  // namespace twostep::pg
