// The v1 HTTP API (SPEC §3): builds the router whose handlers decode JSON,
// call a use case and encode its answer. Handlers are plain functions of the
// request, testable without sockets.
#pragma once

#include <memory>

#include "http/api_two_step.h"
#include "http/router.h"
#include "service/service_env.h"

namespace twostep::http {

class Metrics;

// `env` and `metrics` must outlive the router.
Router BuildApiRouter(const service::ServiceEnv& env, Metrics& metrics,
                      const TwoStepApiOptions& options = {});

}  // namespace twostep::http
