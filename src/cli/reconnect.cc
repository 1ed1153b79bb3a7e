#include "cli/reconnect.h"

#include <thread>

#include <sodium.h>

#include "domain/reconnect_backoff.h"

namespace twostep::cli {

namespace json = boost::json;

std::chrono::milliseconds Reconnect::Wait() {
  // Jitter needs no secrecy; libsodium is simply the random source at hand.
  auto delay = domain::ReconnectDelay(attempt_, randombytes_random());
  if (attempt_ < 64) ++attempt_;
  std::this_thread::sleep_for(delay);
  return delay;
}

bool ShownRequests::FirstTime(const json::value& message) {
  const auto* o = message.if_object();
  if (!o) return false;
  auto text = [o](const char* key) {
    const auto* v = o->if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  return shown_.emplace(text("challenge_id"), text("code")).second;
}

std::vector<json::value> PendingRequests(ClientApp& app) {
  std::vector<json::value> out;
  try {
    auto r = app.Authed("GET", "/v1/notifications/pending");
    if (r.status != 200 || !r.body.is_array()) return out;
    for (const auto& message : r.body.as_array()) out.push_back(message);
  } catch (const CliError&) {
    // Signed out meanwhile: the WebSocket says so too, and ends the run.
  }
  return out;
}

}  // namespace twostep::cli
