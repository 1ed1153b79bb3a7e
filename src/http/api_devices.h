// API routes of Trusted Devices and Login Activity (SPEC §3).
#pragma once

#include "http/router.h"
#include "http/api_use_cases.h"

namespace twostep::http {

void AddDeviceRoutes(Router& router, const ApiUseCases& use_cases);

}  // namespace twostep::http
