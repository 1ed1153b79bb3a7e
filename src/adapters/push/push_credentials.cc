#include "adapters/push/push_credentials.h"

#include <fstream>
#include <iterator>

#include <boost/json.hpp>

namespace twostep::push {

namespace json = boost::json;

namespace {

std::string ReadFile(const std::string& path, const std::string& where) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw KeyError(where + ": cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Field(const json::object& o, std::string_view key, const std::string& where) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string() || v->as_string().empty())
    throw KeyError(where + ": the service-account file has no \"" + std::string(key) + "\"");
  return std::string(v->as_string());
}

FcmCredentials LoadFcm(const std::string& app, const std::string& path,
                       const std::function<bool(const std::string&)>& url_allowed) {
  const std::string where = "apps." + app + ".fcm_service_account_file (" + path + ")";
  const std::string text = ReadFile(path, where);
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) throw KeyError(where + ": not a JSON object");
  const auto& o = doc.as_object();
  if (const auto* type = o.if_contains("type");
      type && (!type->is_string() || type->as_string() != "service_account"))
    throw KeyError(where + ": \"type\" is not \"service_account\"");
  FcmCredentials c;
  c.project_id = Field(o, "project_id", where);
  c.client_email = Field(o, "client_email", where);
  c.token_uri = Field(o, "token_uri", where);
  if (const auto* id = o.if_contains("private_key_id"); id && id->is_string())
    c.private_key_id = std::string(id->as_string());
  if (!url_allowed(c.token_uri))
    throw KeyError(where + ": token_uri must be https:// unless its host is loopback");
  c.key = SigningKey::FromPem(Field(o, "private_key", where), JwtAlgorithm::kRs256, where);
  return c;
}

ApnsCredentials LoadApns(const std::string& app, const AppPushSettings& s) {
  const std::string prefix = "apps." + app + ".";
  for (const auto& [key, value] : {std::pair{"apns_key_id", &s.apns_key_id},
                                   std::pair{"apns_team_id", &s.apns_team_id},
                                   std::pair{"apns_topic", &s.apns_topic}})
    if (value->empty()) throw KeyError(prefix + key + ": required when apns_key_file is set");
  const std::string where = prefix + "apns_key_file (" + s.apns_key_file + ")";
  ApnsCredentials c{s.apns_key_id, s.apns_team_id, s.apns_topic, nullptr};
  c.key = SigningKey::FromPem(ReadFile(s.apns_key_file, where), JwtAlgorithm::kEs256, where);
  return c;
}

}  // namespace

PushCredentials LoadPushCredentials(const std::map<std::string, AppPushSettings>& apps,
                                    const std::function<bool(const std::string&)>& url_allowed) {
  PushCredentials out;
  for (const auto& [app, s] : apps) {
    if (!s.fcm_service_account_file.empty())
      out.fcm.emplace(app, LoadFcm(app, s.fcm_service_account_file, url_allowed));
    if (!s.apns_key_file.empty()) out.apns.emplace(app, LoadApns(app, s));
  }
  return out;
}

}  // namespace twostep::push
