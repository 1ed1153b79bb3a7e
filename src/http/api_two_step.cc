#include "http/api_two_step.h"

#include <boost/json.hpp>

#include "domain/digests.h"
#include "http/api_support.h"
#include "http/json_response.h"
#include "wire/notification_json.h"

namespace twostep::http {

namespace json = boost::json;

namespace {

json::object EncodeRollout(const domain::Rollout& r) {
  json::array allow;
  for (const auto& e : r.allow) allow.emplace_back(e);
  return {{"feature", r.feature}, {"app", r.app}, {"percent", r.percent}, {"allow", std::move(allow)}};
}

// Admin routes answer 404 when the admin API is off, 401 for a wrong token.
Handler Admin(const std::string& token, Handler inner) {
  return [token, inner = std::move(inner)](const HttpRequest& req, const PathParams& p) {
    if (token.empty()) return ProblemResponse(Error::NotFound("No such resource."));
    auto presented = BearerToken(req);
    if (!presented || !domain::ConstantTimeEquals(domain::HashToken(presented->Reveal()),
                                                  domain::HashToken(token)))
      return ProblemResponse(Error::Unauthorized());
    return inner(req, p);
  };
}

Result<std::vector<std::string>> StringList(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return Error::InvalidRequest("Field 'allow' must be an array of emails.");
  for (const auto& v : it->value().get_array()) {
    if (!v.is_string()) return Error::InvalidRequest("Field 'allow' must be an array of emails.");
    out.emplace_back(v.get_string());
  }
  return out;
}

void AddSwitchRoutes(Router& router, const ApiUseCases& s) {
  router.Add("GET", "/v1/account/security", Lane::kWork,
             WithToken([s](const HttpRequest&, const PathParams&, const Secret& token) {
    TRY_ASSIGN(v, s.two_step.Security(token));
    return JsonResponse(200, json::object{
        {"two_step", json::object{{"available", v.available}, {"enabled", v.enabled},
                                  {"default_method", v.default_method}}},
        {"trusted_devices", v.trusted_devices},
        {"password_changed_at", FormatRfc3339(v.password_changed_at)}});
  }));
  router.Add("POST", "/v1/account/two-step", Lane::kHash,
             Authed(s.sessions, [s](const HttpRequest& req, const PathParams&, const service::Caller& c) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(enabled, RequiredBool(body, "enabled"));
    if (!enabled) {
      TRY_ASSIGN(password, RequiredString(body, "password", 1024));
      auto r = s.two_step.Disable(c, password, req.client_ip);
      if (!r) return ProblemResponse(r.error());
      return JsonResponse(200, json::object{{"enabled", false}});
    }
    std::optional<std::string> password;
    if (body.contains("password")) {
      TRY_ASSIGN(p, RequiredString(body, "password", 1024));
      password = std::move(p);
    }
    auto r = s.two_step.Enable(c, password, req.client_ip);
    if (!r) return ProblemResponse(r.error());
    if (r->challenge) return JsonResponse(202, EncodeChallenge(*r->challenge));
    json::object o{{"enabled", true}};
    if (r->device_secret) o["device_secret"] = r->device_secret->Reveal();
    return JsonResponse(200, o);
  }));
  router.Add("POST", "/v1/account/two-step/verify", Lane::kWork,
             Authed(s.sessions, [s](const HttpRequest& req, const PathParams&, const service::Caller& c) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(challenge_id, RequiredString(body, "challenge_id", 128));
    TRY_ASSIGN(code, RequiredString(body, "code", 32));
    TRY_ASSIGN(secret, s.two_step.VerifyEnable(c, challenge_id, Secret(code), req.client_ip));
    return JsonResponse(200, json::object{{"enabled", true}, {"device_secret", secret.Reveal()}});
  }));
}

void AddChallengeRoutes(Router& router, const ApiUseCases& s) {
  router.Add("POST", "/v1/challenges/{}/resend", Lane::kWork,
             [s](const HttpRequest& req, const PathParams& p) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(method, RequiredString(body, "method", 16));
    TRY_ASSIGN(view, s.challenges.Resend(p[0], method));
    return JsonResponse(200, EncodeChallenge(view));
  });
  router.Add("POST", "/v1/challenges/{}/deny", Lane::kWork,
             Authed(s.sessions, [s](const HttpRequest&, const PathParams& p, const service::Caller& c) {
    auto r = s.challenges.Deny(c, p[0]);
    if (!r) return ProblemResponse(r.error());
    return JsonResponse(200, json::object{
        {"outcome", "denied"},
        {"detail", "The sign-in was blocked. Whoever tried knows your password: change it now."},
        {"change_password", true}});
  }));
  router.Add("GET", "/v1/notifications", Lane::kInline, [](const HttpRequest&, const PathParams&) {
    return ProblemResponse(Error::InvalidRequest("Open /v1/notifications as a WebSocket."));
  });
  router.Add("GET", "/v1/notifications/pending", Lane::kWork,
             WithToken([s](const HttpRequest&, const PathParams&, const Secret& token) {
    TRY_ASSIGN(list, s.challenges.Pending(token));
    json::array out;
    for (const auto& n : list) out.emplace_back(wire::EncodeNotification(n));
    return JsonResponse(200, out);
  }));
}

void AddAdminRoutes(Router& router, const ApiUseCases& s, const TwoStepApiOptions& options) {
  router.Add("GET", "/v1/admin/rollout/{}/{}", Lane::kWork,
             Admin(options.admin_token, [s](const HttpRequest&, const PathParams& p) {
    TRY_ASSIGN(r, s.rollouts.Get(p[0], p[1]));
    return JsonResponse(200, EncodeRollout(r));
  }));
  router.Add("PUT", "/v1/admin/rollout/{}/{}", Lane::kWork,
             Admin(options.admin_token, [s](const HttpRequest& req, const PathParams& p) {
    TRY_ASSIGN(body, Body(req));
    auto it = body.find("percent");
    if (it == body.end() || !it->value().is_int64())
      return ProblemResponse(Error::InvalidRequest("Field 'percent' must be an integer 0-100."));
    TRY_ASSIGN(allow, StringList(body, "allow"));
    TRY_ASSIGN(r, s.rollouts.Put(p[0], p[1], static_cast<int>(std::clamp<int64_t>(
                                                   it->value().get_int64(), -1, 101)),
                                  allow));
    return JsonResponse(200, EncodeRollout(r));
  }));
  if (options.advance_clock) {
    router.Add("POST", "/v1/admin/clock", Lane::kInline,
               Admin(options.admin_token, [advance = options.advance_clock](
                                              const HttpRequest& req, const PathParams&) {
      TRY_ASSIGN(body, Body(req));
      auto it = body.find("advance_s");
      if (it == body.end() || !it->value().is_int64() || it->value().get_int64() < 0)
        return ProblemResponse(Error::InvalidRequest("Field 'advance_s' must be a non-negative integer."));
      advance(seconds(it->value().get_int64()));
      return NoContent();
    }));
  }
}

}  // namespace

void AddTwoStepRoutes(Router& router, const ApiUseCases& use_cases,
                      const TwoStepApiOptions& options) {
  AddSwitchRoutes(router, use_cases);
  AddChallengeRoutes(router, use_cases);
  AddAdminRoutes(router, use_cases, options);
}

}  // namespace twostep::http
