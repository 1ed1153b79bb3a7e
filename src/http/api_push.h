// API routes of the mobile push registration (SPEC §4 "Push"):
// PUT and DELETE /v1/devices/current/push.
#pragma once

#include "http/router.h"
#include "ports/clock.h"
#include "ports/store.h"
#include "service/sessions.h"

namespace twostep::http {

void AddPushRoutes(Router& router, Store& store, const Clock& clock, service::Sessions& sessions);

}  // namespace twostep::http
