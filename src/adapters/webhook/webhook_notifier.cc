#include "adapters/webhook/webhook_notifier.h"

#include <chrono>

#include <boost/json.hpp>
#include <curl/curl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "wire/notification_json.h"

namespace twostep {

namespace {
constexpr int kMaxAttempts = 5;
size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }
}  // namespace

std::string WebhookSignature(const Secret& secret, int64_t timestamp, std::string_view body) {
  const std::string prefix = std::to_string(timestamp) + ".";
  const std::string_view key = secret.Reveal();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string("sha256=") + hex;
}

WebhookNotifier::WebhookNotifier(std::string url, Secret secret, Counters& counters,
                                 size_t queue_limit)
    : url_(std::move(url)), secret_(std::move(secret)), counters_(counters), queue_limit_(queue_limit) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  thread_ = std::thread([this] { Loop(); });
}

WebhookNotifier::~WebhookNotifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WebhookNotifier::Notify(const std::string& account_id, const std::string& device_id,
                             const Notification& notification) {
  boost::json::object body{{"account_id", account_id},
                           {"device_id", device_id},
                           {"notification", wire::EncodeNotification(notification)}};
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= queue_limit_) {
      queue_.pop_front();
      counters_.Increment("webhook", "dropped");
    }
    queue_.push_back({boost::json::serialize(body), 0});
  }
  cv_.notify_one();
}

bool WebhookNotifier::Post(const std::string& body) {
  CURL* curl = curl_easy_init();
  if (!curl) return false;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!secret_.empty()) {
    // Signed at each attempt: a retry after back-off carries a fresh time.
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    headers = curl_slist_append(headers, ("X-Twostep-Timestamp: " + std::to_string(now)).c_str());
    headers = curl_slist_append(
        headers, ("X-Twostep-Signature: " + WebhookSignature(secret_, now, body)).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  bool ok = rc == CURLE_OK && status >= 200 && status < 300;
  if (!ok)
    spdlog::warn(R"({{"event":"webhook_failed","curl":"{}","status":{}}})",
                 curl_easy_strerror(rc), status);
  return ok;
}

void WebhookNotifier::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    bool ok = Post(item.body);
    lock.lock();
    counters_.Increment("webhook", ok ? "delivered" : "failed");
    if (ok || ++item.attempts >= kMaxAttempts || stopping_) continue;
    // Back off before the retry; a stop request cuts the wait short.
    auto wait = std::chrono::milliseconds(500) * (1 << (item.attempts - 1));
    cv_.wait_for(lock, wait, [&] { return stopping_; });
    queue_.push_front(std::move(item));
  }
}

}  // namespace twostep
