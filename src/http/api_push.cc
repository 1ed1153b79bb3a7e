#include "http/api_push.h"

#include "http/api_support.h"
#include "http/json_response.h"

namespace twostep::http {

namespace {
// FCM registration tokens are ~160 characters today; the domain rule
// allows up to 1024 (domain/push_token.h).
constexpr size_t kMaxToken = 1024;
}  // namespace

void AddPushRoutes(Router& router, const ApiUseCases& use_cases) {
  service::PushRegistrations* push = &use_cases.push;
  router.Add("PUT", "/v1/devices/current/push", Lane::kWork,
             Authed(use_cases.sessions, [push](const HttpRequest& req, const PathParams&,
                                     const service::Caller& caller) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(provider, RequiredString(body, "provider", 16));
    TRY_ASSIGN(token, RequiredString(body, "token", kMaxToken));
    TRY_ASSIGN(also_when_live, OptionalBool(body, "also_when_live", false));
    auto r = push->Register(caller, {provider, token, also_when_live});
    if (!r) return ProblemResponse(r.error());
    return NoContent();
  }));
  router.Add("DELETE", "/v1/devices/current/push", Lane::kWork,
             Authed(use_cases.sessions, [push](const HttpRequest&, const PathParams&,
                                     const service::Caller& caller) {
    push->Unregister(caller);
    return NoContent();
  }));
}

}  // namespace twostep::http
