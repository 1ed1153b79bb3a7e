// API routes of Two-Step Verification: the switch, Login Security, challenge
// resend/deny, pending code requests, and the operators' rollout API.
#pragma once

#include "http/router.h"
#include <functional>
#include <string>

#include "base/time.h"
#include "http/api_use_cases.h"

namespace twostep::http {

struct TwoStepApiOptions {
  std::string admin_token;  // empty: admin API off (404)
  // Black-box tests only: POST /v1/admin/clock moves this clock.
  std::function<void(seconds)> advance_clock;
};

void AddTwoStepRoutes(Router& router, const ApiUseCases& use_cases,
                      const TwoStepApiOptions& options);

}  // namespace twostep::http
