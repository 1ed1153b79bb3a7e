// ListenScreen: what `twostep listen` shows, as a trusted device's screen.
// A code request is shown the way the best phone prompts show it: first who
// and where (device, app, IP address, approximate place, time) with
// "a = Allow" and "d = This wasn't me"; the code only after Allow. When the
// server says a request is over (challenge_resolved: verified, denied,
// expired, exhausted, moved_to_email) it is taken off the screen with a
// line saying why, so no dead code stays on display.
//
// The labels are aligned by their display width (wide CJK characters take
// two columns). In a terminal the screen is redrawn whole on every change; into a pipe
// each change is one more block of lines; with --json it stays silent. Thread-safe: the connection
// thread reports messages while the input thread acts on the user's keys.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "cli/texts.h"

namespace twostep::cli {

class ListenScreen {
 public:
  // kRedraw: stdout is a terminal; kAppend: a pipe; kSilent: --json (the
  // messages themselves are printed), the screen only tracks the requests.
  enum class Mode { kRedraw, kAppend, kSilent };
  // `account`: the signed-in email; `texts`: the language and zone shown.
  ListenScreen(std::string account, Mode mode, Texts texts);

  void Ready();
  // A `verification_code` message: a new request, newest first.
  void Request(const boost::json::value& message);
  // A `challenge_resolved` message: the request leaves the screen.
  void Resolved(const std::string& challenge_id, const std::string& outcome);
  // The user chose Allow: the newest request shows its code. False when no
  // request is open.
  bool AllowNewest();
  // The id of the newest open request, for "This wasn't me".
  std::optional<std::string> Newest() const;
  // The user denied `challenge_id` and the server took it.
  void Denied(const std::string& challenge_id);
  // One line under the requests (an error, a hint).
  void Note(const std::string& line);

 private:
  struct Open {
    boost::json::value message;
    bool allowed = false;
  };
  void Show(const std::string& change);  // with mutex_ held
  std::string RequestText(const Open& open) const;
  // "  Device:  " with the label padded so that every value starts in one
  // column, whatever the language's labels.
  std::string Label(const char* key) const;
  bool Remove(const std::string& challenge_id);  // with mutex_ held

  const std::string account_;
  const Mode mode_;
  const Texts texts_;
  std::size_t label_width_ = 0;
  mutable std::mutex mutex_;
  std::vector<Open> open_;  // newest first
  std::string status_;
};

}  // namespace twostep::cli
