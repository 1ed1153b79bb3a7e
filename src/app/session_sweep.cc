#include "app/session_sweep.h"

#include <algorithm>

namespace twostep::app {

size_t SessionSweep::RunOnce() {
  auto live = hub_.LiveSessions();
  std::vector<std::string> families;
  for (const auto& s : live)
    if (!s.family_id.empty()) families.push_back(s.family_id);
  auto ended = sessions_.EndedSessions(families);
  std::sort(ended.begin(), ended.end());
  size_t closed = 0;
  for (const auto& s : live) {
    if (!std::binary_search(ended.begin(), ended.end(), s.family_id)) continue;
    Notification n = SignedOut{SignOutReason::kSessionEnded, s.family_id};
    hub_.Notify(s.account_id, s.device_id, n);
    ++closed;
  }
  return closed;
}

}  // namespace twostep::app
