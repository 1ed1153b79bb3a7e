#include "adapters/postgres/pg_fanout.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_store.h"
#include "domain/code_seal.h"
#include "domain/random_values.h"

namespace twostep::pg {

namespace json = boost::json;

namespace {

constexpr std::string_view kTypes[] = {"verification_code", "challenge_resolved", "signed_out"};

std::string Str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t Int(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

}  // namespace

PgFanout::PgFanout(PgStore& store, LocalDevices local, const ServerKeys& keys, Random& random,
                   std::chrono::seconds sweep_interval)
    : store_(store),
      local_(std::move(local)),
      keys_(keys),
      random_(random),
      sweep_interval_(sweep_interval),
      instance_id_(domain::GenerateId(random, "ins_")) {}

PgFanout::~PgFanout() { Stop(); }

std::string PgFanout::Encode(const std::string& account_id, const std::string& device_id,
                             const Notification& n) {
  json::object o{{"origin", instance_id_},
                 {"account", account_id},
                 {"device", device_id},
                 {"type", kTypes[static_cast<int>(n.type)]},
                 {"challenge_id", n.challenge_id},
                 {"outcome", n.outcome},
                 {"reason", n.reason}};
  if (n.type == Notification::Type::kVerificationCode) {
    if (n.code) o["sealed_code"] = domain::SealCode(keys_.seal_key, n.challenge_id, *n.code, random_);
    o["expires_in"] = n.expires_in.count();
    o["requested_at"] = ToMillis(n.requested_at);
    o["requester"] = json::object{{"id", n.requester.id},       {"name", n.requester.name},
                                  {"model", n.requester.model}, {"os", n.requester.os},
                                  {"app", n.requester.app},     {"app_version", n.requester.app_version}};
    o["ip"] = n.requester_ip;
    if (n.requester_location) {
      const auto& l = *n.requester_location;
      o["location"] = json::object{{"city", l.city}, {"region", l.region}, {"country", l.country},
                                   {"country_code", l.country_code}};
    }
  }
  return json::serialize(o);
}

bool PgFanout::Decode(const std::string& payload, std::string& origin, std::string& account_id,
                      std::string& device_id, Notification& n) const {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return false;
  const auto& o = v.as_object();
  origin = Str(o, "origin");
  account_id = Str(o, "account");
  device_id = Str(o, "device");
  std::string type = Str(o, "type");
  int t = 0;
  while (t < 3 && kTypes[t] != type) ++t;
  if (t == 3 || account_id.empty() || device_id.empty()) return false;
  n.type = static_cast<Notification::Type>(t);
  n.challenge_id = Str(o, "challenge_id");
  n.outcome = Str(o, "outcome");
  n.reason = Str(o, "reason");
  if (n.type != Notification::Type::kVerificationCode) return true;
  n.code = domain::OpenCode(keys_.seal_key, n.challenge_id, Str(o, "sealed_code"));
  if (!n.code) return false;  // tampered, or sealed by an instance with other keys
  n.expires_in = seconds(Int(o, "expires_in"));
  n.requested_at = FromMillis(Int(o, "requested_at"));
  if (auto* r = o.if_contains("requester"); r && r->is_object()) {
    const auto& ro = r->as_object();
    n.requester = {Str(ro, "id"), Str(ro, "name"), Str(ro, "model"),
                   Str(ro, "os"), Str(ro, "app"),  Str(ro, "app_version")};
  }
  n.requester_ip = Str(o, "ip");
  if (auto* l = o.if_contains("location"); l && l->is_object()) {
    const auto& lo = l->as_object();
    n.requester_location = Location{Str(lo, "city"), Str(lo, "region"), Str(lo, "country"),
                                    Str(lo, "country_code")};
  }
  return true;
}

void PgFanout::Notify(const std::string& account_id, const std::string& device_id,
                      const Notification& notification) {
  if (local_.deliver) local_.deliver->Notify(account_id, device_id, notification);
  try {
    store_.Publish(kNotifyChannel, Encode(account_id, device_id, notification));
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
    conn = std::make_unique<Connection>(store_.url());
    conn->Exec((std::string("LISTEN ") + kNotifyChannel).c_str());
  } catch (const std::exception& e) {
    spdlog::warn(R"({{"event":"fanout_listen_failed","error":"{}"}})", e.what());
    return;
  }
  spdlog::info(R"({"event":"fanout_listening"})");
  Sweep();  // anything missed while not listening
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

void PgFanout::Deliver(const std::string& payload) {
  std::string origin, account, device;
  Notification n;
  if (!Decode(payload, origin, account, device, n)) {
    spdlog::warn(R"({"event":"fanout_message_refused"})");
    return;
  }
  if (origin == instance_id_ || !local_.deliver) return;
  local_.deliver->Notify(account, device, n);
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
    Notification out;
    out.type = Notification::Type::kSignedOut;
    out.reason = "signed_out";
    local_.deliver->Notify(d.first, d.second, out);
  }
}

}  // namespace twostep::pg
