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
  if (const auto* code = std::get_if<CodeRequested>(&n)) {
    m.kind = PushMessage::Kind::kSignInRequest;
    m.challenge_id = code->challenge_id;
    m.title = "Sign-in request";
    m.body = SignInSummary(code->requester.name, code->requester_location);
    m.expires_at = now + code->expires_in;
    return m;
  }
  if (const auto* resolved = std::get_if<ChallengeResolved>(&n)) {
    m.kind = PushMessage::Kind::kResolved;
    m.challenge_id = resolved->challenge_id;
    m.outcome = std::string(NameOf(resolved->outcome));
    m.expires_at = now + kResolvedPushLifetime;
    return m;
  }
  return std::nullopt;  // signed_out
}

}  // namespace twostep::push
