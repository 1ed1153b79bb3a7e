#include "cli/client_app.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <iostream>

#include <boost/json.hpp>

#include "cli/language.h"
#include "cli/prompts.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {

// The problem codes the catalog words as cli.problem.<code> (SPEC section 3).
constexpr const char* kWordedProblems[] = {
    "invalid_request",    "invalid_email",     "weak_password",    "password_required",
    "invalid_code",       "unauthorized",      "invalid_credentials", "email_not_verified",
    "challenge_denied",   "forbidden",         "not_found",        "conflict",
    "challenge_expired",  "rate_limited",      "unavailable",      "internal"};

// Where the server's `detail` says what exactly to change.
bool DetailMatters(const std::string& code) {
  return code == "invalid_request" || code == "invalid_email" || code == "weak_password";
}

}  // namespace

std::string ProblemText(const Texts& t, const ApiResponse& r) {
  const std::string code = Str(r.body, "code");
  const std::string detail = Str(r.body, "detail");
  std::string retry = Str(r.body, "retry_after");
  if (retry.empty()) retry = r.retry_after;
  std::string text;
  for (const char* known : kWordedProblems)
    if (code == known)
      text = t("cli.problem." + code, {{"seconds", std::int64_t{std::atoll(retry.c_str())}}});
  if (text.empty())
    text = detail.empty() ? t("cli.problem.status", {{"status", std::int64_t{r.status}}}) : detail;
  else if (DetailMatters(code) && !detail.empty())
    text += " " + t("cli.problem.detail", {{"detail", detail}});
  return code.empty() ? text : text + " (" + code + ")";
}

Texts TextsFor(const std::string& flag, const Profile& profile) {
  std::string zone = IsKnownZone(profile.time_zone) ? profile.time_zone : TerminalTimeZone();
  return Texts(ChooseLanguage(EnvironmentLanguage(flag, profile.locale)), zone);
}

ClientApp::ClientApp(ClientOptions options)
    : options_(std::move(options)),
      api_(ServerUrl::Parse(options_.server)),
      profile_(store_.Load(options_.profile)),
      texts_(TextsFor(options_.lang, profile_)) {}

Texts ClientApp::texts() const {
  std::lock_guard lock(mutex_);
  return texts_;
}

std::string ClientApp::Text(std::string_view key, const TextArgs& args) const {
  return texts()(key, args);
}

ApiResponse ClientApp::Call(const std::string& method, const std::string& target,
                            const std::optional<json::value>& body) {
  try {
    return api_.Send(method, target, body, "", texts().lang());
  } catch (const TextError& e) {
    throw CliError(e.Render(texts()));
  }
}

std::string ClientApp::AccessToken() const {
  std::lock_guard lock(mutex_);
  return profile_.access_token;
}

ApiResponse ClientApp::Authed(const std::string& method, const std::string& target,
                              const std::optional<json::value>& body) {
  std::string token = AccessToken();
  if (token.empty()) throw CliError(Text("cli.error.not_signed_in"), 3);
  try {
    const std::string lang = texts().lang();
    ApiResponse r = api_.Send(method, target, body, token, lang);
    if (r.status != 401) return r;
    if (!RefreshAfter(token)) throw CliError(Text("cli.error.signed_out"), 3);
    return api_.Send(method, target, body, AccessToken(), texts().lang());
  } catch (const TextError& e) {
    throw CliError(e.Render(texts()));
  }
}

bool ClientApp::RefreshAfter(const std::string& stale) {
  std::lock_guard lock(mutex_);
  ProfileLock file_lock = store_.Lock(profile_.name);
  Profile on_disk = store_.Exists(profile_.name) ? store_.Load(profile_.name) : profile_;
  if (!on_disk.access_token.empty() && on_disk.access_token != stale) {
    profile_ = on_disk;  // refreshed (or signed in anew) by someone else meanwhile
    texts_ = TextsFor(options_.lang, profile_);
    return true;
  }
  if (on_disk.refresh_token.empty()) return false;
  ApiResponse refreshed = api_.Send("POST", "/v1/sessions/refresh",
                                    json::object{{"refresh_token", on_disk.refresh_token}});
  if (refreshed.status == 401) {
    on_disk.access_token.clear();
    on_disk.refresh_token.clear();
    on_disk.locale.clear();
    on_disk.time_zone.clear();
    store_.Save(on_disk);
    profile_ = on_disk;
    texts_ = TextsFor(options_.lang, profile_);
    return false;
  }
  // Anything else (429, 503): the session may still be good. (Not Expect:
  // mutex_ is held here.)
  if (refreshed.status != 200) throw CliError(ProblemText(texts_, refreshed));
  const auto& o = refreshed.body.as_object();
  on_disk.access_token = std::string(o.at("access_token").as_string());
  on_disk.refresh_token = std::string(o.at("refresh_token").as_string());
  store_.Save(on_disk);
  profile_ = on_disk;
  return true;
}

void ClientApp::UpdateProfile(const std::function<void(Profile&)>& change) {
  std::lock_guard lock(mutex_);
  ProfileLock file_lock = store_.Lock(profile_.name);
  // A profile first saved now keeps the install id this run signed in with.
  Profile next = store_.Exists(profile_.name) ? store_.Load(profile_.name) : profile_;
  change(next);
  store_.Save(next);
  profile_ = next;
  texts_ = TextsFor(options_.lang, profile_);
}

void ClientApp::LearnAccount(const json::value& account) {
  UpdateProfile([&](Profile& p) {
    if (auto email = Str(account, "email"); !email.empty()) p.email = email;
    p.locale = Str(account, "locale");
    p.time_zone = Str(account, "time_zone");
  });
}

void ClientApp::Expect(const ApiResponse& r, std::initializer_list<int> ok) const {
  for (int s : ok)
    if (r.status == s) return;
  // 3: not signed in (a token problem), 1: anything else.
  bool token = r.body.is_object() && r.body.as_object().if_contains("code") &&
               r.body.as_object().at("code") == "unauthorized";
  throw CliError(ProblemText(texts(), r), token ? 3 : 1);
}

std::string ClientApp::DeviceName() const {
  if (!profile_.device_name.empty()) return profile_.device_name;
  if (profile_.name != "default") return profile_.name;
  char host[256] = "computer";
  ::gethostname(host, sizeof host - 1);
  return host;
}

json::value ClientApp::DeviceJson() const {
  utsname u{};
  ::uname(&u);
  return json::object{{"id", profile_.install_id}, {"name", DeviceName()},
                      {"model", "twostep-cli"},
                      {"os", std::string(u.sysname) + " " + u.release},
                      {"app", options_.app}, {"app_version", "1.0"}};
}

void ClientApp::SaveSession(const json::value& session) {
  const auto& o = session.as_object();
  const auto& account = o.at("account").as_object();
  UpdateProfile([&](Profile& p) {
    p.access_token = std::string(o.at("access_token").as_string());
    p.refresh_token = std::string(o.at("refresh_token").as_string());
    if (auto* s = o.if_contains("device_secret"); s && s->is_string())
      p.device_secret = std::string(s->as_string());
    p.account_id = std::string(account.at("id").as_string());
    p.email = std::string(account.at("email").as_string());
  });
}

void ClientApp::ClearSession() {
  UpdateProfile([](Profile& p) {
    p.access_token.clear();
    p.refresh_token.clear();
    p.locale.clear();  // signed out: the terminal's language again
    p.time_zone.clear();
  });
}

void ClientApp::Print(const std::string& text, const json::value& value) const {
  if (options_.json) {
    std::cout << json::serialize(value) << std::endl;
  } else if (!text.empty()) {
    std::cout << text << std::endl;
  }
}

void ClientApp::PrintList(const std::string& text, const json::array& items) const {
  if (!options_.json) {
    Print(text, nullptr);
    return;
  }
  for (const auto& item : items) std::cout << json::serialize(item) << '\n';
  std::cout << std::flush;
}

}  // namespace twostep::cli
