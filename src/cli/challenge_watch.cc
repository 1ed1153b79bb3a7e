#include "cli/challenge_watch.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

namespace twostep::cli {

struct ChallengeWatch::Shared {
  std::mutex mutex;
  std::condition_variable stopped_cv;
  bool stopped = false;
  std::optional<std::string> ended;
};

namespace {

// "exhausted" is not reported from here: only wrong codes use a challenge
// up, and this device's own verify answer says so first (reporting it from
// two threads would race the "attempts left: 0" line).
bool IsReported(const std::string& state) { return state == "denied" || state == "expired"; }

std::string StateOf(const boost::json::value& body) {
  auto* o = body.if_object();
  auto* s = o ? o->if_contains("state") : nullptr;
  return s && s->is_string() ? std::string(s->as_string()) : std::string();
}

}  // namespace

std::string EndedChallengeText(const Texts& t, const std::string& state) {
  if (state == "denied") return t("cli.challenge.denied");
  if (state == "exhausted") return t("cli.challenge.exhausted");
  return t("cli.challenge.expired");
}

ChallengeWatch::ChallengeWatch(ServerUrl server, std::string challenge_id,
                               std::function<void(const std::string&)> on_end)
    : shared_(std::make_shared<Shared>()) {
  std::thread([shared = shared_, server = std::move(server), id = std::move(challenge_id),
               on_end = std::move(on_end)] {
    ApiClient api(server, std::chrono::seconds(kWaitSeconds + 10));
    const std::string target = "/v1/challenges/" + id + "?wait=" + std::to_string(kWaitSeconds);
    while (true) {
      std::string state;
      const auto asked = std::chrono::steady_clock::now();
      try {
        ApiResponse r = api.Send("GET", target, std::nullopt);
        // A server without the watch (404/405) or a gone challenge: stop
        // watching; the code prompt still reports what verify answers.
        if (r.status != 200) return;
        state = StateOf(r.body);
      } catch (const std::runtime_error&) {
        // Unreachable for now: try again after a pause, unless stopped.
        std::unique_lock lock(shared->mutex);
        if (shared->stopped_cv.wait_for(lock, std::chrono::seconds(2),
                                        [&] { return shared->stopped; }))
          return;
        continue;
      }
      std::unique_lock lock(shared->mutex);
      if (shared->stopped || state == "verified" || state == "exhausted") return;
      if (IsReported(state)) {
        shared->ended = state;
        on_end(state);
        return;
      }
      // An answer at once means the method changed (a resend by email); a
      // server that keeps answering at once must not be asked in a loop.
      if (std::chrono::steady_clock::now() - asked < std::chrono::seconds(1) &&
          shared->stopped_cv.wait_for(lock, std::chrono::seconds(1),
                                      [&] { return shared->stopped; }))
        return;
    }
  }).detach();
}

ChallengeWatch::~ChallengeWatch() { Stop(); }

bool ChallengeWatch::Stop() {
  std::lock_guard lock(shared_->mutex);
  shared_->stopped = true;
  shared_->stopped_cv.notify_all();
  return shared_->ended.has_value();
}

std::optional<std::string> ChallengeWatch::Ended() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->ended;
}

}  // namespace twostep::cli
