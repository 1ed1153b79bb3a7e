#include "adapters/push/push_message.h"

namespace twostep::push {

std::string SignInSummary(const std::string& device_name, const std::optional<Location>& where) {
  std::string text = "Sign-in request from " + (device_name.empty() ? "a new device" : device_name);
  if (where) {
    const std::string& place = !where->city.empty()     ? where->city
                               : !where->region.empty() ? where->region
                                                        : where->country;
    if (!place.empty()) text += " near " + place;
  }
  return text;
}

std::optional<PushMessage> PushMessageOf(const Notification& n, Timestamp now) {
  PushMessage m;
  m.challenge_id = n.challenge_id;
  switch (n.type) {
    case Notification::Type::kVerificationCode:
      m.kind = PushMessage::Kind::kSignInRequest;
      m.title = "Sign-in request";
      m.body = SignInSummary(n.requester.name, n.requester_location);
      m.expires_at = now + n.expires_in;
      return m;
    case Notification::Type::kChallengeResolved:
      m.kind = PushMessage::Kind::kResolved;
      m.outcome = n.outcome;
      m.expires_at = now + kResolvedPushLifetime;
      return m;
    case Notification::Type::kSignedOut:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace twostep::push
