#include "http/api_challenge_watch.h"

#include <charconv>

#include <boost/json.hpp>

#include "http/api_support.h"
#include "http/json_response.h"
#include "http/wait_hub.h"

namespace twostep::http {

namespace {

// `wait` as whole seconds 0–30; absent is 0.
Result<int> WaitSeconds(const HttpRequest& req) {
  auto it = req.query.find("wait");
  if (it == req.query.end()) return 0;
  const std::string& text = it->second;
  int n = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0 || n > kMaxChallengeWaitS)
    return Error::InvalidRequest("wait must be a whole number of seconds from 0 to " +
                                 std::to_string(kMaxChallengeWaitS) + ".");
  return n;
}

HttpResponse Encode(const service::ChallengeStatusView& v) {
  const auto& c = v.challenge;
  return JsonResponse(200, boost::json::object{{"state", v.state},
                                               {"method", c.method},
                                               {"destination", c.destination},
                                               {"expires_in", c.expires_in.count()},
                                               {"resend_in", c.resend_in.count()}});
}

}  // namespace

void AddChallengeWatchRoute(Router& router, const service::ChallengeStatus& status) {
  router.Add("GET", "/v1/challenges/{}", Lane::kWork,
             [&status](const HttpRequest& req, const PathParams& p) {
    TRY_ASSIGN(wait, WaitSeconds(req));
    TRY_ASSIGN(view, status.Read(p[0]));
    const std::string seen = view.state + "/" + view.challenge.method;
    const auto now = std::chrono::steady_clock::now();
    if (req.held) {
      // Woken, or time to look again: answer when something changed.
      if (req.held->final || seen != req.held->seen || now >= req.held->until) return Encode(view);
      HttpResponse r;
      r.hold = Hold{WaitHub::ChallengeTopic(p[0]), seen, req.held->until, kChallengeRecheck};
      return r;
    }
    if (wait == 0 || view.state != "pending") return Encode(view);
    HttpResponse r;
    r.hold = Hold{WaitHub::ChallengeTopic(p[0]), seen, now + std::chrono::seconds(wait),
                  kChallengeRecheck};
    return r;
  });
}

}  // namespace twostep::http
