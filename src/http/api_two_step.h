// API routes of Two-Step Verification: the switch, Login Security, challenge
// resend/deny, pending code requests, and the operators' rollout API.
#pragma once

#include "http/router.h"
#include "service/service_env.h"
#include "service/sessions.h"

namespace twostep::http {

struct TwoStepApiOptions {
  std::string admin_token;  // empty: admin API off (404)
  // Black-box tests only: POST /v1/admin/clock moves this clock.
  std::function<void(seconds)> advance_clock;
};

void AddTwoStepRoutes(Router& router, const service::ServiceEnv& env, service::Sessions& sessions,
                      const TwoStepApiOptions& options);

}  // namespace twostep::http
