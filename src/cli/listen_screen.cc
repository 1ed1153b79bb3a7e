#include "cli/listen_screen.h"

#include <algorithm>
#include <iostream>

#include <boost/json.hpp>

#include "cli/display.h"
#include "cli/prompts.h"
#include "cli/text_width.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

constexpr const char* kClear = "\x1b[H\x1b[2J";

constexpr const char* kLabels[] = {"cli.listen.label.device", "cli.listen.label.app",
                                   "cli.listen.label.ip",     "cli.listen.label.near",
                                   "cli.listen.label.time",   "cli.listen.label.code"};

const json::value& Member(const json::value& v, const char* key) {
  static const json::value kNull;
  auto* x = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return x ? *x : kNull;
}

std::string RequesterName(const Texts& t, const json::value& message) {
  const auto& dev = Member(Member(message, "requester"), "device");
  std::string name = Str(dev, "name");
  return name.empty() ? t("cli.listen.a_device") : name;
}

}  // namespace

ListenScreen::ListenScreen(std::string account, Mode mode, Texts texts)
    : account_(std::move(account)), mode_(mode), texts_(std::move(texts)) {
  for (const char* key : kLabels) label_width_ = std::max(label_width_, DisplayWidth(texts_(key)));
}

std::string ListenScreen::Label(const char* key) const {
  return "  " + PadTo(texts_(key), label_width_ + 2);
}

std::string ListenScreen::RequestText(const Open& open) const {
  const Texts& t = texts_;
  const json::value& m = open.message;
  const auto& req = Member(m, "requester");
  const auto& dev = Member(req, "device");
  std::string text = (account_.empty() ? t("cli.listen.requested")
                                       : t("cli.listen.requested_for", {{"account", account_}})) +
                     "\n";
  text += Label("cli.listen.label.device") +
          t("cli.listen.device",
            {{"name", Str(dev, "name")}, {"model", Str(dev, "model")}, {"os", Str(dev, "os")}}) +
          "\n";
  text += Label("cli.listen.label.app") + Str(dev, "app") + " " + Str(dev, "app_version") + "\n";
  text += Label("cli.listen.label.ip") + Str(req, "ip") + "\n";
  text += Label("cli.listen.label.near") +
          t("cli.listen.near", {{"place", PlaceOf(t, Member(req, "location"))}}) + "\n";
  text += Label("cli.listen.label.time") + t.Time(Str(m, "requested_at")) + "\n";
  if (open.allowed)
    text += Label("cli.listen.label.code") + t("cli.listen.code", {{"code", Str(m, "code")}}) + "\n";
  else
    text += "  " + t("cli.listen.is_this_you") + "\n";
  return text;
}

void ListenScreen::Show(const std::string& change) {
  if (mode_ == Mode::kSilent) return;
  if (mode_ == Mode::kAppend) {
    if (!change.empty()) std::cout << change << std::endl;
    return;
  }
  std::string screen = kClear;
  screen += texts_("cli.listen.header") + "\n\n";
  for (const auto& open : open_) screen += RequestText(open) + "\n";
  if (open_.empty()) screen += texts_("cli.listen.none_waiting") + "\n\n";
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
  Show(texts_("cli.listen.header"));
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
  std::string who = RequesterName(texts_, it->message);
  open_.erase(it);
  status_ = ResolvedWords(texts_, who, outcome);
  Show(status_);
}

bool ListenScreen::AllowNewest() {
  std::lock_guard lock(mutex_);
  if (open_.empty()) return false;
  open_.front().allowed = true;
  Show(Label("cli.listen.label.code") +
       texts_("cli.listen.code_allowed", {{"code", Str(open_.front().message, "code")}}));
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
  status_ = texts_("cli.listen.you_denied");
  Show(status_);
}

void ListenScreen::Note(const std::string& line) {
  std::lock_guard lock(mutex_);
  status_ = line;
  Show(line);
}

}  // namespace twostep::cli
