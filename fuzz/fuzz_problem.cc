// Problem details and JSON answers (http/problem.cc, http/json_response.cc):
// any Error and any challenge/session values encode to JSON that parses back
// to the same members; every problem status is a 4xx or 5xx with its code.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/json.hpp>

#include "http/json_response.h"
#include "http/problem.h"

namespace json = boost::json;
using twostep::Error;
using twostep::ErrorCode;

namespace {
struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t Byte() {
    if (!n) return 0;
    --n;
    return *p++;
  }
  std::string Text() {  // a length byte, then that many bytes
    size_t len = std::min<size_t>(Byte(), n);
    std::string s(reinterpret_cast<const char*>(p), len);
    p += len;
    n -= len;
    return s;
  }
};

json::value Parse(const std::string& text) {
  json::parse_options opt;
  opt.allow_invalid_utf8 = true;  // details and values are passed through as bytes
  std::error_code ec;
  auto v = json::parse(text, ec, {}, opt);
  if (ec) abort();  // the encoders must always produce JSON
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  Error e;
  e.code = static_cast<ErrorCode>(in.Byte() % (static_cast<int>(ErrorCode::kInternal) + 1));
  e.detail = in.Text();
  uint8_t flags = in.Byte();
  if (flags & 1) e.retry_after = std::chrono::seconds(in.Byte() * 257 + in.Byte());
  if (flags & 2) e.attempts_left = static_cast<int8_t>(in.Byte());
  if (flags & 4) e.challenge_id = in.Text();
  auto r = twostep::http::ProblemResponse(e);
  if (r.status < 400 || r.status > 599 || r.content_type != "application/problem+json") abort();
  auto v = Parse(r.body);
  const auto& o = v.as_object();
  if (o.at("status").as_int64() != r.status) abort();
  if (o.at("code").as_string() != twostep::ErrorCodeName(e.code)) abort();
  if (o.at("detail").as_string() != e.detail) abort();
  if (e.challenge_id && o.at("challenge_id").as_string() != *e.challenge_id) abort();
  if (e.retry_after) {
    bool header = false;
    for (auto& [k, val] : r.headers)
      if (k == "Retry-After" && val == std::to_string(e.retry_after->count())) header = true;
    if (!header) abort();
  }

  twostep::service::ChallengeView c;
  c.challenge_id = in.Text();
  c.method = in.Text();
  c.methods = {in.Text(), in.Text()};
  c.destination = in.Text();
  c.expires_in = std::chrono::seconds(in.Byte());
  auto cr = twostep::http::JsonResponse(202, twostep::http::EncodeChallenge(c));
  auto cv = Parse(cr.body);
  if (cv.at("challenge_id").as_string() != c.challenge_id ||
      cv.at("destination").as_string() != c.destination ||
      cv.at("methods").as_array().size() != 2)
    abort();

  twostep::service::IssuedSession s;
  s.access_token = twostep::Secret(in.Text());
  s.refresh_token = twostep::Secret(in.Text());
  s.email = in.Text();
  auto sv = Parse(twostep::http::JsonResponse(200, twostep::http::EncodeSession(s)).body);
  if (sv.at("access_token").as_string() != s.access_token.Reveal() ||
      sv.at("account").at("email").as_string() != s.email)
    abort();
  return 0;
}
