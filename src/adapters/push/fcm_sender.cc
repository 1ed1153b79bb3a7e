#include "adapters/push/fcm_sender.h"

#include <boost/json.hpp>
#include <curl/curl.h>

namespace twostep::push {

namespace json = boost::json;

namespace {

constexpr seconds kJwtLifetime{3600};
constexpr seconds kRefreshMargin{300};

int64_t UnixSeconds(Timestamp t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

std::string FormEscape(CURL* curl, const std::string& text) {
  char* e = curl_easy_escape(curl, text.c_str(), static_cast<int>(text.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

json::object MessageBody(const PushJob& job, Timestamp now) {
  const PushMessage& m = job.message;
  const auto ttl = std::max<int64_t>(0, std::chrono::duration_cast<seconds>(m.expires_at - now).count());
  json::object android{{"priority", "high"}, {"ttl", std::to_string(ttl) + "s"},
                       {"collapse_key", m.challenge_id}};
  json::object data{{"challenge_id", m.challenge_id}};
  if (m.kind == PushMessage::Kind::kSignInRequest) {
    data["type"] = "sign_in_request";
    android["notification"] = json::object{{"title", m.title}, {"body", m.body},
                                           {"tag", m.challenge_id}};
  } else {
    data["type"] = "challenge_resolved";
    data["outcome"] = m.outcome;
  }
  return {{"message", json::object{{"token", job.token}, {"data", std::move(data)},
                                   {"android", std::move(android)}}}};
}

// The FCM error of a 4xx body: its errorCode (FcmError detail), and
// whether a BadRequest detail names the token field.
struct FcmError {
  std::string status;
  std::string error_code;
  bool about_token = false;
};

FcmError ParseError(const std::string& body) {
  FcmError e;
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return e;
  const auto* err = doc.as_object().if_contains("error");
  if (!err || !err->is_object()) return e;
  if (const auto* s = err->as_object().if_contains("status"); s && s->is_string())
    e.status = std::string(s->as_string());
  const auto* details = err->as_object().if_contains("details");
  if (!details || !details->is_array()) return e;
  for (const auto& d : details->as_array()) {
    if (!d.is_object()) continue;
    if (const auto* code = d.as_object().if_contains("errorCode"); code && code->is_string())
      e.error_code = std::string(code->as_string());
    if (const auto* fv = d.as_object().if_contains("fieldViolations"); fv && fv->is_array())
      for (const auto& v : fv->as_array())
        if (v.is_object())
          if (const auto* f = v.as_object().if_contains("field");
              f && f->is_string() && f->as_string() == "message.token")
            e.about_token = true;
  }
  return e;
}

}  // namespace

FcmSender::FcmSender(std::string endpoint, std::shared_ptr<const PushCredentials> credentials,
                     const Clock& clock, HttpCallOptions http)
    : endpoint_(std::move(endpoint)), clock_(clock), http_(std::move(http)), curl_(curl_easy_init()),
      credentials_(std::move(credentials)) {
  if (!curl_) throw std::runtime_error("libcurl: cannot create a handle");
}

FcmSender::~FcmSender() { curl_easy_cleanup(curl_); }

std::shared_ptr<const PushCredentials> FcmSender::Credentials() const {
  std::lock_guard lock(mutex_);
  return credentials_;
}

bool FcmSender::Serves(const std::string& app) const { return Credentials()->fcm.count(app) > 0; }

void FcmSender::SetCredentials(std::shared_ptr<const PushCredentials> credentials) {
  std::lock_guard lock(mutex_);
  credentials_ = std::move(credentials);
  credentials_changed_ = true;
}

std::optional<std::string> FcmSender::AccessTokenFor(const std::string& app,
                                                     const FcmCredentials& c,
                                                     SendOutcome& failure) {
  const Timestamp now = clock_.Now();
  if (auto it = tokens_.find(app); it != tokens_.end() && now < it->second.refresh_at)
    return it->second.value;
  const int64_t iat = UnixSeconds(now);
  json::object header;
  if (!c.private_key_id.empty()) header["kid"] = c.private_key_id;
  const std::string assertion = SignJwt(
      *c.key, header,
      {{"iss", c.client_email}, {"scope", kFcmScope}, {"aud", c.token_uri}, {"iat", iat},
       {"exp", iat + kJwtLifetime.count()}});
  const std::string form = "grant_type=" +
                           FormEscape(curl_, "urn:ietf:params:oauth:grant-type:jwt-bearer") +
                           "&assertion=" + FormEscape(curl_, assertion);
  HttpCallOptions opts = http_;
  const HttpReply reply = HttpPost(
      curl_, c.token_uri, {"Content-Type: application/x-www-form-urlencoded"}, form, opts);
  if (!reply.transport_ok || reply.status == 429 || reply.status >= 500) {
    failure = {SendOutcome::Kind::kRetry, reply.timed_out ? "token_timeout" : "token_unavailable",
               reply.retry_after};
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value doc = json::parse(reply.body, ec);
  const json::object* o = !ec && doc.is_object() ? &doc.as_object() : nullptr;
  const json::value* token = o ? o->if_contains("access_token") : nullptr;
  const json::value* expires = o ? o->if_contains("expires_in") : nullptr;
  if (reply.status != 200 || !token || !token->is_string() || !expires || !expires->is_int64()) {
    failure = {SendOutcome::Kind::kFailed, "token_refused", std::nullopt};
    return std::nullopt;
  }
  const seconds life(expires->as_int64());
  // Refreshed five minutes early; a token that lives less than ten minutes
  // is used for half its life.
  const seconds use_for = life > 2 * kRefreshMargin ? life - kRefreshMargin : life / 2;
  tokens_[app] = {std::string(token->as_string()), now + use_for};
  return std::string(token->as_string());
}

SendOutcome FcmSender::Classify(const HttpReply& reply, const std::string& app) {
  using K = SendOutcome::Kind;
  if (!reply.transport_ok) return {K::kRetry, reply.timed_out ? "timeout" : "unreachable", {}};
  if (reply.status == 200) return {K::kDelivered, "sent", {}};
  if (reply.status == 429) return {K::kRetry, "rate_limited", reply.retry_after};
  if (reply.status >= 500) return {K::kRetry, "server_error", reply.retry_after};
  const FcmError e = ParseError(reply.body);
  if (e.error_code == "UNREGISTERED" ||
      (e.status == "INVALID_ARGUMENT" && e.about_token))
    return {K::kTokenGone, "token_gone", {}};
  if (reply.status == 401) {
    tokens_.erase(app);  // next try fetches a new access token
    return {K::kRetry, "unauthorized", {}};
  }
  return {K::kFailed, "rejected", {}};
}

SendOutcome FcmSender::Send(const PushJob& job) {
  std::shared_ptr<const PushCredentials> creds;
  {
    std::lock_guard lock(mutex_);
    creds = credentials_;
    if (credentials_changed_) tokens_.clear();
    credentials_changed_ = false;
  }
  auto it = creds->fcm.find(job.app);
  if (it == creds->fcm.end()) return {SendOutcome::Kind::kFailed, "no_credentials", {}};
  SendOutcome failure;
  auto access = AccessTokenFor(job.app, it->second, failure);
  if (!access) return failure;
  const std::string url = endpoint_ + "/v1/projects/" + it->second.project_id + "/messages:send";
  const HttpReply reply =
      HttpPost(curl_, url,
               {"Content-Type: application/json; charset=UTF-8", "Authorization: Bearer " + *access},
               json::serialize(MessageBody(job, clock_.Now())), http_);
  return Classify(reply, job.app);
}

}  // namespace twostep::push
