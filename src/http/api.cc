#include "http/api.h"

#include <boost/json.hpp>

#include "http/api_challenge_watch.h"
#include "http/api_devices.h"
#include "http/api_push.h"
#include "http/api_support.h"
#include "http/json_response.h"
#include "http/metrics.h"
#include "http/openapi_document.h"
#include "http/problem.h"
#include "http/static_files.h"
#include "http/work_pool.h"
#include "i18n/messages.h"

namespace twostep::http {

namespace json = boost::json;

namespace {

json::object EncodeAccount(const service::AccountView& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"email_verified", a.email_verified},
          {"created_at", FormatRfc3339(a.created_at)},
          {"locale", a.locale},
          {"time_zone", a.time_zone}};
}

HttpResponse SessionOrChallenge(const service::SignInResult& r) {
  if (auto* s = std::get_if<service::IssuedSession>(&r)) return JsonResponse(200, EncodeSession(*s));
  return JsonResponse(202, EncodeChallenge(std::get<service::ChallengeView>(r)));
}

void AddAccountRoutes(Router& router, const ApiUseCases& s) {
  router.Add("POST", "/v1/accounts", Lane::kHash, [s](const HttpRequest& req, const PathParams&) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(email, RequiredString(body, "email", 320));
    TRY_ASSIGN(password, RequiredString(body, "password", 1024));
    TRY_ASSIGN(app, RequiredString(body, "app", 64));
    TRY_ASSIGN(device, OptionalDevice(body, "device"));
    TRY_ASSIGN(locale, OptionalString(body, "locale", 16));
    TRY_ASSIGN(time_zone, OptionalString(body, "time_zone", 64));
    service::RegisterRequest r{email, password, app, device, req.client_ip};
    // U17: the language asked for, else the browser's best match.
    r.locale = locale.value_or(i18n::NegotiateLanguage(req.accept_language));
    r.time_zone = time_zone.value_or(std::string(i18n::kDefaultTimeZone));
    TRY_ASSIGN(challenge_id, s.registration.Register(r));
    return JsonResponse(202, json::object{{"challenge_id", challenge_id}});
  });
  router.Add("POST", "/v1/accounts/verify-email", Lane::kWork,
             [s](const HttpRequest& req, const PathParams&) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(challenge_id, RequiredString(body, "challenge_id", 128));
    TRY_ASSIGN(code, RequiredString(body, "code", 32));
    TRY_ASSIGN(result, s.registration.VerifyEmail(challenge_id, Secret(code)));
    json::object o{{"email_verified", true}};
    if (result.device_secret) o["device_secret"] = result.device_secret->Reveal();
    return JsonResponse(200, o);
  });
  router.Add("GET", "/v1/account", Lane::kWork,
             WithToken([s](const HttpRequest&, const PathParams&, const Secret& token) {
    TRY_ASSIGN(a, s.sessions.GetAccount(token));
    return JsonResponse(200, EncodeAccount(a));
  }));
  router.Add("PATCH", "/v1/account", Lane::kWork,
             Authed(s.sessions, [s](const HttpRequest& req, const PathParams&,
                                    const service::Caller& caller) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(locale, OptionalString(body, "locale", 16));
    TRY_ASSIGN(time_zone, OptionalString(body, "time_zone", 64));
    TRY_ASSIGN(a, s.account_settings.Update(caller, {locale, time_zone}));
    return JsonResponse(200, EncodeAccount(a));
  }));
}

void AddSessionRoutes(Router& router, const ApiUseCases& s) {
  router.Add("POST", "/v1/sessions", Lane::kHash, [s](const HttpRequest& req, const PathParams&) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(email, RequiredString(body, "email", 320));
    TRY_ASSIGN(password, RequiredString(body, "password", 1024));
    TRY_ASSIGN(device, RequiredDevice(body, "device"));
    TRY_ASSIGN(device_secret, OptionalString(body, "device_secret", 128));
    service::SignInRequest r{email, password, device, device_secret, req.client_ip};
    TRY_ASSIGN(result, s.sign_in.Run(r));
    return SessionOrChallenge(result);
  });
  router.Add("POST", "/v1/challenges/{}/verify", Lane::kWork,
             [s](const HttpRequest& req, const PathParams& p) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(code, RequiredString(body, "code", 32));
    TRY_ASSIGN(trust, OptionalBool(body, "trust_device", true));
    TRY_ASSIGN(session, s.verify_sign_in.Run(p[0], Secret(code), trust));
    return JsonResponse(200, EncodeSession(session));
  });
  router.Add("POST", "/v1/sessions/refresh", Lane::kWork,
             [s](const HttpRequest& req, const PathParams&) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(token, RequiredString(body, "refresh_token", 256));
    TRY_ASSIGN(session, s.sessions.Refresh(Secret(token)));
    return JsonResponse(200, EncodeSession(session));
  });
  router.Add("DELETE", "/v1/sessions/current", Lane::kWork,
             Authed(s.sessions, [s](const HttpRequest&, const PathParams&,
                                     const service::Caller& caller) {
    s.sessions.SignOut(caller);
    return NoContent();
  }));
}

void AddPasswordRoutes(Router& router, const ApiUseCases& s) {
  router.Add("POST", "/v1/account/password", Lane::kHash,
             Authed(s.sessions, [s](const HttpRequest& req, const PathParams&,
                                     const service::Caller& caller) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(current, RequiredString(body, "current_password", 1024));
    TRY_ASSIGN(fresh, RequiredString(body, "new_password", 1024));
    TRY_ASSIGN(sign_out, OptionalBool(body, "sign_out_other_devices", false));
    auto r = s.passwords.Change(caller, {current, fresh, sign_out, req.client_ip});
    if (!r) return ProblemResponse(r.error());
    return NoContent();
  }));
  router.Add("POST", "/v1/password/reset", Lane::kWork,
             [s](const HttpRequest& req, const PathParams&) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(email, RequiredString(body, "email", 320));
    TRY_ASSIGN(challenge_id, s.passwords.RequestReset(email, req.client_ip));
    return JsonResponse(202, json::object{{"challenge_id", challenge_id}});
  });
  router.Add("POST", "/v1/password/reset/confirm", Lane::kHash,
             [s](const HttpRequest& req, const PathParams&) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(challenge_id, RequiredString(body, "challenge_id", 128));
    TRY_ASSIGN(code, RequiredString(body, "code", 32));
    TRY_ASSIGN(fresh, RequiredString(body, "new_password", 1024));
    // Unauthenticated: the request's language (issue #24).
    auto r = s.passwords.ConfirmReset(challenge_id, Secret(code), fresh,
                                      i18n::NegotiateLanguage(req.accept_language));
    if (!r) return ProblemResponse(r.error());
    return NoContent();
  });
  router.Add("POST", "/v1/password/strength", Lane::kWork,
             [s](const HttpRequest& req, const PathParams&) {
    TRY_ASSIGN(body, Body(req));
    TRY_ASSIGN(password, RequiredString(body, "password", 1024));
    TRY_ASSIGN(email, OptionalString(body, "email", 320));
    TRY_ASSIGN(st, s.passwords.Strength(password, email.value_or(""),
                                         i18n::NegotiateLanguage(req.accept_language)));
    json::array suggestions;
    for (const auto& x : st.suggestions) suggestions.emplace_back(x);
    return JsonResponse(200, json::object{{"score", st.score}, {"acceptable", st.acceptable},
                                          {"warning", st.warning},
                                          {"suggestions", std::move(suggestions)}});
  });
}

}  // namespace

namespace {
HttpResponse Healthy(const HttpRequest&, const PathParams&) {
  // Made once: probes and load balancers ask many times a second.
  static const HttpResponse ok = JsonResponse(200, json::object{{"status", "ok"}});
  return ok;
}
}  // namespace

Router BuildApiRouter(const ApiUseCases& use_cases, const TwoStepApiOptions& options,
                      const std::string& web_dir) {
  Router router;
  router.Add("GET", "/healthz", Lane::kInline, Healthy);
  // /metrics is on the management listener only. Here it answers like an
  // unknown API path, also when a web app's fallback would have answered
  // index.html: nothing on the public side may look like metrics.
  router.Add("GET", "/metrics", Lane::kInline, [](const HttpRequest&, const PathParams&) {
    return ProblemResponse(Error::NotFound("No such resource."));
  });
  // The description every answer of this router matches (docs/openapi.yaml).
  router.Add("GET", "/v1/openapi.json", Lane::kInline, [](const HttpRequest&, const PathParams&) {
    HttpResponse r;
    r.content_type = "application/json";
    r.body = std::string(OpenApiJson());
    return r;
  });
  AddAccountRoutes(router, use_cases);
  AddSessionRoutes(router, use_cases);
  AddChallengeWatchRoute(router, use_cases.challenge_status);
  AddPasswordRoutes(router, use_cases);
  AddTwoStepRoutes(router, use_cases, options);
  AddDeviceRoutes(router, use_cases);
  AddPushRoutes(router, use_cases);
  if (!web_dir.empty()) {
    auto files = std::make_shared<StaticFiles>(web_dir);
    router.SetFallback([files](const HttpRequest& req, const PathParams&) {
      return files->Serve(req.path);
    });
  }
  return router;
}

Router BuildManagementRouter(Metrics& metrics, const WorkPool* hash, const WorkPool* work) {
  Router router;
  router.Add("GET", "/healthz", Lane::kInline, Healthy);
  router.Add("GET", "/metrics", Lane::kInline, [&metrics, hash, work](const HttpRequest&,
                                                                     const PathParams&) {
    for (auto [name, pool] : {std::pair{"hash", hash}, std::pair{"work", work}}) {
      if (!pool) continue;
      metrics.SetGauge(std::string(name) + "_queue_waiting", static_cast<double>(pool->Waiting()));
      metrics.SetGauge(std::string(name) + "_queue_limit", static_cast<double>(pool->QueueLimit()));
    }
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.Render();
    return r;
  });
  return router;
}

}  // namespace twostep::http
