#include "cli/listen_screen.h"

#include <algorithm>
#include <iostream>

#include <boost/json.hpp>

#include "cli/display.h"
#include "cli/prompts.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

constexpr const char* kClear = "\x1b[H\x1b[2J";
constexpr const char* kHeader =
    "Listening for sign-in requests as a trusted device. Ctrl-C to stop.";

const json::value& Member(const json::value& v, const char* key) {
  static const json::value kNull;
  auto* x = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return x ? *x : kNull;
}

std::string RequesterName(const json::value& message) {
  const auto& dev = Member(Member(message, "requester"), "device");
  std::string name = Str(dev, "name");
  return name.empty() ? "a device" : name;
}

}  // namespace

ListenScreen::ListenScreen(std::string account, Mode mode)
    : account_(std::move(account)), mode_(mode) {}

std::string ListenScreen::RequestText(const Open& open) const {
  const json::value& m = open.message;
  const auto& req = Member(m, "requester");
  const auto& dev = Member(req, "device");
  std::string text = "Sign-in requested" + (account_.empty() ? "" : " for " + account_) + "\n";
  text +=
      "  Device:  " + Str(dev, "name") + " (" + Str(dev, "model") + ", " + Str(dev, "os") + ")\n";
  text += "  App:     " + Str(dev, "app") + " " + Str(dev, "app_version") + "\n";
  text += "  IP:      " + Str(req, "ip") + "\n";
  text +=
      "  Near:    " + PlaceOf(Member(req, "location")) + " (approximate, from the IP address)\n";
  text += "  Time:    " + LocalTime(Str(m, "requested_at")) + "\n";
  if (open.allowed)
    text += "  Code:    " + Str(m, "code") + "  (enter it on the new device; d = This wasn't me)\n";
  else
    text += "  Is this you? a = Allow (shows the code), d = This wasn't me\n";
  return text;
}

void ListenScreen::Show(const std::string& change) {
  if (mode_ == Mode::kSilent) return;
  if (mode_ == Mode::kAppend) {
    if (!change.empty()) std::cout << change << std::endl;
    return;
  }
  std::string screen = kClear;
  screen += std::string(kHeader) + "\n\n";
  for (const auto& open : open_) screen += RequestText(open) + "\n";
  if (open_.empty()) screen += "No sign-in request is waiting.\n\n";
  if (!status_.empty()) screen += status_ + "\n";
  std::cout << screen << std::flush;
}

bool ListenScreen::Remove(const std::string& challenge_id) {
  auto it = std::find_if(open_.begin(), open_.end(), [&](const Open& o) {
    return Str(o.message, "challenge_id") == challenge_id;
  });
  if (it == open_.end()) return false;
  open_.erase(it);
  return true;
}

void ListenScreen::Ready() {
  std::lock_guard lock(mutex_);
  Show(kHeader);
}

void ListenScreen::Request(const json::value& message) {
  std::lock_guard lock(mutex_);
  Remove(Str(message, "challenge_id"));  // a resend replaces the request's code
  open_.insert(open_.begin(), Open{message, false});
  status_.clear();
  Show(RequestText(open_.front()));
}

void ListenScreen::Resolved(const std::string& challenge_id, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(open_.begin(), open_.end(), [&](const Open& o) {
    return Str(o.message, "challenge_id") == challenge_id;
  });
  if (it == open_.end()) return;  // not shown here (or already denied from here)
  std::string who = RequesterName(it->message);
  open_.erase(it);
  status_ = "The sign-in request from " + who + " " + ResolvedWords(outcome);
  if (outcome != "verified") status_ += " Its code no longer works.";
  Show(status_);
}

bool ListenScreen::AllowNewest() {
  std::lock_guard lock(mutex_);
  if (open_.empty()) return false;
  open_.front().allowed = true;
  Show("Code: " + Str(open_.front().message, "code") + "  (enter it on the new device)");
  return true;
}

std::optional<std::string> ListenScreen::Newest() const {
  std::lock_guard lock(mutex_);
  if (open_.empty()) return std::nullopt;
  return Str(open_.front().message, "challenge_id");
}

void ListenScreen::Denied(const std::string& challenge_id) {
  std::lock_guard lock(mutex_);
  Remove(challenge_id);
  status_ =
      "You denied the sign-in request. Whoever tried knows your password: change it now "
      "(twostep password change).";
  Show(status_);
}

void ListenScreen::Note(const std::string& line) {
  std::lock_guard lock(mutex_);
  status_ = line;
  Show(line);
}

}  // namespace twostep::cli
