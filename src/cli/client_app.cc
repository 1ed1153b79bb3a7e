#include "cli/client_app.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <iostream>

#include <boost/json.hpp>

namespace twostep::cli {

namespace json = boost::json;

std::string ProblemText(const ApiResponse& r) {
  std::string detail = "The server answered " + std::to_string(r.status) + ".";
  std::string code;
  if (r.body.is_object()) {
    const auto& o = r.body.as_object();
    if (auto* d = o.if_contains("detail"); d && d->is_string()) detail = std::string(d->as_string());
    if (auto* c = o.if_contains("code"); c && c->is_string()) code = std::string(c->as_string());
  }
  return code.empty() ? detail : detail + " (" + code + ")";
}

ClientApp::ClientApp(ClientOptions options)
    : options_(std::move(options)), api_(ServerUrl::Parse(options_.server)) {
  profile_ = store_.Load(options_.profile);
}

ApiResponse ClientApp::Call(const std::string& method, const std::string& target,
                            const std::optional<json::value>& body) {
  try {
    return api_.Send(method, target, body);
  } catch (const std::runtime_error& e) {
    throw CliError(e.what());
  }
}

std::string ClientApp::AccessToken() const {
  std::lock_guard lock(mutex_);
  return profile_.access_token;
}

ApiResponse ClientApp::Authed(const std::string& method, const std::string& target,
                              const std::optional<json::value>& body) {
  std::string token = AccessToken();
  if (token.empty()) throw CliError("You are not signed in. Run: twostep login", 3);
  try {
    ApiResponse r = api_.Send(method, target, body, token);
    if (r.status != 401) return r;
    if (!RefreshAfter(token)) throw CliError("This device was signed out. Run: twostep login", 3);
    return api_.Send(method, target, body, AccessToken());
  } catch (const CliError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw CliError(e.what());
  }
}

bool ClientApp::RefreshAfter(const std::string& stale) {
  std::lock_guard lock(mutex_);
  ProfileLock file_lock = store_.Lock(profile_.name);
  Profile on_disk = store_.Exists(profile_.name) ? store_.Load(profile_.name) : profile_;
  if (!on_disk.access_token.empty() && on_disk.access_token != stale) {
    profile_ = on_disk;  // refreshed (or signed in anew) by someone else meanwhile
    return true;
  }
  if (on_disk.refresh_token.empty()) return false;
  ApiResponse refreshed = api_.Send("POST", "/v1/sessions/refresh",
                                    json::object{{"refresh_token", on_disk.refresh_token}});
  if (refreshed.status == 401) {
    on_disk.access_token.clear();
    on_disk.refresh_token.clear();
    store_.Save(on_disk);
    profile_ = on_disk;
    return false;
  }
  Expect(refreshed, {200});  // anything else (429, 503): the session may still be good
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
}

void ClientApp::Expect(const ApiResponse& r, std::initializer_list<int> ok) const {
  for (int s : ok)
    if (r.status == s) return;
  // 3: not signed in (a token problem), 1: anything else.
  bool token = r.body.is_object() && r.body.as_object().if_contains("code") &&
               r.body.as_object().at("code") == "unauthorized";
  throw CliError(ProblemText(r), token ? 3 : 1);
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
