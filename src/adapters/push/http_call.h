// One HTTPS request through libcurl for the push providers: the status, the
// body (bounded) and the Retry-After header. The handle is the caller's, so
// a provider that keeps its connection (APNs) passes the same one each
// time. No logging here: callers log only fixed words.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

typedef void CURL;

namespace twostep::push {

struct HttpCallOptions {
  bool http2 = false;      // HTTP/2 over TLS, required (APNs)
  std::string ca_file;     // empty: the system store
  seconds timeout{10};     // the whole request, connect included
  // Set (by the owner's shutdown): a request in flight is abandoned at once
  // instead of waiting out a hanging provider.
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpReply {
  bool transport_ok = false;  // false: no answer (refused, TLS, timeout)
  bool timed_out = false;
  long status = 0;
  std::string body;  // at most 64 KiB kept
  std::optional<seconds> retry_after;  // delta-seconds form only
  long http_version = 0;  // CURL_HTTP_VERSION_* of the answer
};

// POSTs `body` to `url` with `headers` ("Name: value") on `curl` (reset of
// its options first; its connection cache is kept).
HttpReply HttpPost(CURL* curl, const std::string& url, const std::vector<std::string>& headers,
                   const std::string& body, const HttpCallOptions& options);

}  // namespace twostep::push
