#include "adapters/push/apns_sender.h"

#include <boost/json.hpp>
#include <curl/curl.h>

namespace twostep::push {

namespace json = boost::json;

namespace {

int64_t UnixSeconds(Timestamp t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

json::object Payload(const PushMessage& m) {
  if (m.kind == PushMessage::Kind::kSignInRequest)
    return {{"aps", json::object{{"alert", json::object{{"title", m.title}, {"body", m.body}}},
                                 {"sound", "default"},
                                 {"thread-id", "sign-in"}}},
            {"type", "sign_in_request"},
            {"challenge_id", m.challenge_id}};
  return {{"aps", json::object{{"content-available", 1}}},
          {"type", "challenge_resolved"},
          {"challenge_id", m.challenge_id},
          {"outcome", m.outcome}};
}

std::string Reason(const std::string& body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return {};
  const auto* r = doc.as_object().if_contains("reason");
  return r && r->is_string() ? std::string(r->as_string()) : std::string();
}

}  // namespace

ApnsSender::ApnsSender(std::string endpoint, std::shared_ptr<const PushCredentials> credentials,
                       const Clock& clock, HttpCallOptions http)
    : endpoint_(std::move(endpoint)), clock_(clock), http_(std::move(http)),
      credentials_(std::move(credentials)) {
  http_.http2 = true;  // APNs speaks nothing else
}

ApnsSender::~ApnsSender() { DropConnections(); }

void ApnsSender::DropConnections() {
  for (auto& [app, conn] : connections_) curl_easy_cleanup(conn.curl);
  connections_.clear();
}

bool ApnsSender::Serves(const std::string& app) const {
  std::lock_guard lock(mutex_);
  return credentials_->apns.count(app) > 0;
}

void ApnsSender::SetCredentials(std::shared_ptr<const PushCredentials> credentials) {
  std::lock_guard lock(mutex_);
  credentials_ = std::move(credentials);
  credentials_changed_ = true;
}

ApnsSender::Connection& ApnsSender::ConnectionOf(const std::string& app) {
  Connection& conn = connections_[app];
  if (!conn.curl) conn.curl = curl_easy_init();
  if (!conn.curl) throw std::runtime_error("libcurl: cannot create a handle");
  return conn;
}

const std::string& ApnsSender::ProviderToken(Connection& conn, const ApnsCredentials& c,
                                             bool force) {
  const Timestamp now = clock_.Now();
  if (force || conn.jwt.empty() || now - conn.jwt_made >= kApnsTokenRefresh) {
    conn.jwt = SignJwt(*c.key, {{"kid", c.key_id}}, {{"iss", c.team_id}, {"iat", UnixSeconds(now)}});
    conn.jwt_made = now;
  }
  return conn.jwt;
}

SendOutcome ApnsSender::Post(Connection& conn, const ApnsCredentials& c, const PushJob& job) {
  using K = SendOutcome::Kind;
  const PushMessage& m = job.message;
  const bool alert = m.kind == PushMessage::Kind::kSignInRequest;
  std::vector<std::string> headers{
      "authorization: bearer " + ProviderToken(conn, c, false),
      "apns-topic: " + c.topic,
      std::string("apns-push-type: ") + (alert ? "alert" : "background"),
      std::string("apns-priority: ") + (alert ? "10" : "5"),
      "apns-expiration: " + std::to_string(UnixSeconds(m.expires_at)),
      "content-type: application/json"};
  if (alert) headers.push_back("apns-collapse-id: " + m.challenge_id);
  const HttpReply reply = HttpPost(conn.curl, endpoint_ + "/3/device/" + job.token, headers,
                                   json::serialize(Payload(m)), http_);
  if (!reply.transport_ok) return {K::kRetry, reply.timed_out ? "timeout" : "unreachable", {}};
  if (reply.http_version != CURL_HTTP_VERSION_2_0) return {K::kFailed, "not_http2", {}};
  if (reply.status == 200) return {K::kDelivered, "sent", {}};
  if (reply.status == 410) return {K::kTokenGone, "token_gone", {}};
  if (reply.status == 429) return {K::kRetry, "rate_limited", reply.retry_after};
  if (reply.status >= 500) return {K::kRetry, "server_error", reply.retry_after};
  if (reply.status == 403 && Reason(reply.body) == "ExpiredProviderToken") {
    ProviderToken(conn, c, true);
    return {K::kRetry, "expired_provider_token", {}};
  }
  return {K::kFailed, "rejected", {}};
}

SendOutcome ApnsSender::Send(const PushJob& job) {
  std::shared_ptr<const PushCredentials> creds;
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    creds = credentials_;
    changed = credentials_changed_;
    credentials_changed_ = false;
  }
  if (changed) DropConnections();  // new keys: new tokens on new connections
  auto it = creds->apns.find(job.app);
  if (it == creds->apns.end()) return {SendOutcome::Kind::kFailed, "no_credentials", {}};
  return Post(ConnectionOf(job.app), it->second, job);
}

}  // namespace twostep::push
