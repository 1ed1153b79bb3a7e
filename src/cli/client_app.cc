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

ApiResponse ClientApp::Authed(const std::string& method, const std::string& target,
                              const std::optional<json::value>& body) {
  if (profile_.access_token.empty())
    throw CliError("You are not signed in. Run: twostep login", 3);
  ApiResponse r;
  try {
    r = api_.Send(method, target, body, profile_.access_token);
    if (r.status != 401 || profile_.refresh_token.empty()) return r;
    auto refreshed = api_.Send("POST", "/v1/sessions/refresh",
                               json::object{{"refresh_token", profile_.refresh_token}});
    if (refreshed.status != 200) {
      ClearSession();
      throw CliError("This device was signed out. Run: twostep login", 3);
    }
    SaveSession(refreshed.body);
    return api_.Send(method, target, body, profile_.access_token);
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const CliError*>(&e)) throw;
    throw CliError(e.what());
  }
}

void ClientApp::Expect(const ApiResponse& r, std::initializer_list<int> ok) const {
  for (int s : ok)
    if (r.status == s) return;
  // 3: not signed in (a token problem), 1: anything else.
  bool token = r.body.is_object() && r.body.as_object().if_contains("code") &&
               r.body.as_object().at("code") == "unauthorized";
  throw CliError(ProblemText(r), token ? 3 : 1);
}

json::value ClientApp::DeviceJson() const {
  char host[256] = "computer";
  ::gethostname(host, sizeof host - 1);
  utsname u{};
  ::uname(&u);
  return json::object{{"id", profile_.install_id}, {"name", std::string(host)},
                      {"model", "twostep-cli"},
                      {"os", std::string(u.sysname) + " " + u.release},
                      {"app", options_.app}, {"app_version", "1.0"}};
}

void ClientApp::SaveSession(const json::value& session) {
  const auto& o = session.as_object();
  profile_.access_token = std::string(o.at("access_token").as_string());
  profile_.refresh_token = std::string(o.at("refresh_token").as_string());
  if (auto* s = o.if_contains("device_secret"); s && s->is_string())
    profile_.device_secret = std::string(s->as_string());
  const auto& account = o.at("account").as_object();
  profile_.account_id = std::string(account.at("id").as_string());
  profile_.email = std::string(account.at("email").as_string());
  store_.Save(profile_);
}

void ClientApp::ClearSession() {
  profile_.access_token.clear();
  profile_.refresh_token.clear();
  store_.Save(profile_);
}

void ClientApp::Print(const std::string& text, const json::value& value) const {
  if (options_.json) {
    std::cout << json::serialize(value) << std::endl;
  } else if (!text.empty()) {
    std::cout << text << std::endl;
  }
}

}  // namespace twostep::cli
