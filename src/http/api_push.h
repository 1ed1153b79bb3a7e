// API routes of the mobile push registration (SPEC §4 "Push"):
// PUT and DELETE /v1/devices/current/push.
#pragma once

#include "http/api_use_cases.h"
#include "http/router.h"

namespace twostep::http {

void AddPushRoutes(Router& router, const ApiUseCases& use_cases);

}  // namespace twostep::http
