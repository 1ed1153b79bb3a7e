// ChallengeWatch: while a new device waits for its sign-in code, a thread
// long-polls its challenge (GET /v1/challenges/{id}?wait=25) and reports at
// once when it was denied from a trusted device or expired, so the user is
// offered "start over" instead of a code prompt that can no longer succeed.
// (A challenge used up by wrong codes is told by the verify answer itself.)
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/api_client.h"
#include "cli/texts.h"

namespace twostep::cli {

class ChallengeWatch {
 public:
  // `on_end` runs once, on the watching thread, with the final state
  // ("denied" or "expired"); it must not refer to objects
  // that may die before the process (copy what it needs).
  ChallengeWatch(ServerUrl server, std::string challenge_id,
                 std::function<void(const std::string& state)> on_end);
  // Stops reporting. The thread may still be inside one long poll; it owns
  // everything it touches, and ends with that poll.
  ~ChallengeWatch();
  ChallengeWatch(const ChallengeWatch&) = delete;
  ChallengeWatch& operator=(const ChallengeWatch&) = delete;

  // Stops reporting; true when the end was already reported (so the caller
  // need not tell it again). Thread-safe.
  bool Stop();

  // The final state once the server reported one. Thread-safe.
  std::optional<std::string> Ended() const;

  // How long one poll asks the server to hold its answer (SPEC: <= 30 s).
  static constexpr int kWaitSeconds = 25;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

// The sentence for a challenge that ended before its code was entered.
std::string EndedChallengeText(const Texts& t, const std::string& state);

}  // namespace twostep::cli
