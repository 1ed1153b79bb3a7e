#include "http/json_response.h"

#include <boost/json.hpp>

namespace twostep::http {

namespace json = boost::json;

HttpResponse JsonResponse(int status, const json::value& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = json::serialize(body);
  return r;
}

HttpResponse NoContent() {
  HttpResponse r;
  r.status = 204;
  return r;
}

json::object EncodeSession(const service::IssuedSession& s) {
  json::object o;
  o["access_token"] = s.access_token.Reveal();
  o["expires_in"] = s.expires_in.count();
  o["token_type"] = "Bearer";
  o["refresh_token"] = s.refresh_token.Reveal();
  if (s.device_secret) o["device_secret"] = s.device_secret->Reveal();
  o["account"] = json::object{{"id", s.account_id}, {"email", s.email}};
  return o;
}

json::object EncodeChallenge(const service::ChallengeView& c) {
  json::array methods;
  for (const auto& m : c.methods) methods.emplace_back(m);
  return json::object{{"challenge_id", c.challenge_id}, {"method", c.method},
                      {"methods", std::move(methods)}, {"destination", c.destination},
                      {"expires_in", c.expires_in.count()}, {"resend_in", c.resend_in.count()}};
}

}  // namespace twostep::http
