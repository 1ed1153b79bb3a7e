// API routes of Trusted Devices and Login Activity (SPEC §3).
#pragma once

#include "http/router.h"
#include "service/service_env.h"
#include "service/sessions.h"

namespace twostep::http {

void AddDeviceRoutes(Router& router, const service::ServiceEnv& env, service::Sessions& sessions);

}  // namespace twostep::http
