// The v1 HTTP API (SPEC §3): builds the router whose handlers decode JSON,
// call a use case and encode its answer. Handlers are plain functions of the
// request, testable without sockets.
#pragma once

#include <memory>

#include "http/api_two_step.h"
#include "http/router.h"
#include "http/api_use_cases.h"

namespace twostep::http {

class Metrics;
class WorkPool;

// The public listener's router. The use cases must outlive it.
// `web_dir`: the web app's build output, served at / (empty: none).
Router BuildApiRouter(const ApiUseCases& use_cases, const TwoStepApiOptions& options = {},
                      const std::string& web_dir = "");

// The management listener's router: /healthz and /metrics (Prometheus text).
// `metrics` must outlive it.
// `hash`, `work`: pools whose queues /metrics reports as gauges (at scrape
// time: what the operators' alerts on shedding watch).
Router BuildManagementRouter(Metrics& metrics, const WorkPool* hash = nullptr,
                             const WorkPool* work = nullptr);

}  // namespace twostep::http
