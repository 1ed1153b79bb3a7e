// Notifier: live messages to one device of an account (SPEC §3
// /v1/notifications): the WebSocket registry, the webhook provider, and in
// a multi-instance deployment the cross-instance fan-out, all behind this
// port. Called after the change that causes the message has committed.
// Delivery is best effort: an offline device fetches open code requests
// from /v1/notifications/pending. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/secret.h"
#include "base/time.h"
#include "domain/device.h"
#include "ports/geo_locator.h"

namespace twostep {

struct Notification {
  enum class Type { kVerificationCode, kChallengeResolved, kSignedOut };
  Type type = Type::kVerificationCode;
  std::string challenge_id;
  // verification_code
  std::optional<Secret> code;
  seconds expires_in{0};
  Timestamp requested_at;
  domain::DeviceDescription requester;
  std::string requester_ip;
  std::optional<Location> requester_location;
  // challenge_resolved: verified | denied | expired | exhausted | moved_to_email
  std::string outcome;
  // signed_out: device_removed | password_changed | signed_out | session_ended
  std::string reason;
  // signed_out of one session only (its token family): a connection of the
  // device opened by another session stays. Empty: every connection of it.
  std::string family_id;
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void Notify(const std::string& account_id, const std::string& device_id,
                      const Notification& notification) = 0;
};

// Sends nowhere (no live channel configured).
class NullNotifier : public Notifier {
 public:
  void Notify(const std::string&, const std::string&, const Notification&) override {}
};

}  // namespace twostep
