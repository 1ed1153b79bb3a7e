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
// `web_dir`: the web app's build output, served at / (empty: none).
Router BuildApiRouter(const service::ServiceEnv& env, Metrics& metrics,
                      const TwoStepApiOptions& options = {}, const std::string& web_dir = "");

}  // namespace twostep::http
