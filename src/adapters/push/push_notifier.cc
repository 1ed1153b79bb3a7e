#include "adapters/push/push_notifier.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "adapters/push/apns_sender.h"
#include "adapters/push/fcm_sender.h"

namespace twostep::push {

PushNotifier::PushNotifier(Store& store, const Clock& clock, Counters& counters, IsLive is_live,
                           PushCredentials credentials, PushOptions options)
    : store_(store), clock_(clock), counters_(counters), is_live_(std::move(is_live)),
      options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  enabled_ = !credentials.empty();
  auto shared = std::make_shared<const PushCredentials>(std::move(credentials));
  const HttpCallOptions http{false, options_.ca_file, options_.request_timeout, &cancel_};
  fcm_ = std::make_unique<FcmSender>(options_.fcm_endpoint, shared, clock_, http);
  apns_ = std::make_unique<ApnsSender>(options_.apns_endpoint, shared, clock_, http);
  fcm_queue_ = std::make_unique<ProviderQueue>(
      *fcm_, clock_, counters_,
      [this](const std::string& t) { Forget(domain::PushProvider::kFcm, t); }, options_.queue_limit);
  apns_queue_ = std::make_unique<ProviderQueue>(
      *apns_, clock_, counters_,
      [this](const std::string& t) { Forget(domain::PushProvider::kApns, t); }, options_.queue_limit);
  thread_ = std::thread([this] { Loop(); });
}

PushNotifier::~PushNotifier() {
  cancel_ = true;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  fcm_queue_.reset();  // the queues' threads use the senders
  apns_queue_.reset();
}

void PushNotifier::Notify(const std::string& account_id, const std::string& device_id,
                          const Notification& notification) {
  if (!enabled_) return;
  // The code stays behind here: only the summary and the challenge id go on.
  const Timestamp now = clock_.Now();
  auto message = PushMessageOf(notification, now);
  if (!message) return;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.queue_limit) {
      counters_.Increment("push_dispatch_dropped", "queue_full");
      return;
    }
    queue_.push_back({account_id, device_id, std::move(*message), now});
  }
  cv_.notify_one();
}

void PushNotifier::Reload(PushCredentials credentials) {
  auto shared = std::make_shared<const PushCredentials>(std::move(credentials));
  fcm_->SetCredentials(shared);
  apns_->SetCredentials(shared);
  enabled_ = !shared->empty();
  spdlog::info(R"({{"event":"push_credentials_reloaded","fcm_apps":{},"apns_apps":{}}})",
               shared->fcm.size(), shared->apns.size());
}

bool PushNotifier::WaitIdle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  {
    std::unique_lock lock(mutex_);
    if (!idle_cv_.wait_until(lock, deadline, [&] { return queue_.empty() && !busy_; }))
      return false;
  }
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  return fcm_queue_->WaitIdle(left()) && apns_queue_->WaitIdle(left());
}

void PushNotifier::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (queue_.empty()) idle_cv_.notify_all();
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Wake wake = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Dispatch(wake);
    lock.lock();
    busy_ = false;
  }
}

void PushNotifier::Dispatch(const Wake& wake) {
  std::optional<domain::PushRegistration> target;
  try {
    target = store_.BeginRead()->FindPushTarget(wake.account_id, wake.device_id);
  } catch (const StoreError&) {
    counters_.Increment("push_dispatch_dropped", "store_unavailable");
    return;
  }
  if (!target) return;  // this device has no (usable) registration
  // Registered after the event: the app was awake and running then, and
  // reads what is open from /v1/notifications/pending when it starts.
  if (target->registered_at > wake.queued_at) return;
  if (!target->also_when_live && is_live_(wake.account_id, wake.device_id)) {
    counters_.Increment("push_skipped", "live");  // the WebSocket has it
    return;
  }
  const bool apns = target->provider == domain::PushProvider::kApns;
  PushSender& sender = apns ? *apns_ : *fcm_;
  if (!sender.Serves(target->app)) {
    counters_.Increment("push_skipped", apns ? "apns_not_configured" : "fcm_not_configured");
    return;
  }
  (apns ? apns_queue_ : fcm_queue_)->Enqueue({target->app, target->token, wake.message});
}

void PushNotifier::Forget(domain::PushProvider provider, const std::string& token) {
  try {
    auto tx = store_.Begin();
    tx->ForgetPushToken(provider, token);
    tx->Commit();
    spdlog::info(R"({{"event":"push_token_forgotten","provider":"{}"}})",
                 domain::PushProviderName(provider));
  } catch (const StoreError&) {
    // Tried again at the next push to it, which the provider refuses again.
    counters_.Increment("push_dispatch_dropped", "store_unavailable");
  }
}

}  // namespace twostep::push
