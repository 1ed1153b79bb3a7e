#include "adapters/push/push_message.h"

#include "i18n/messages.h"

namespace twostep::push {

std::string SignInSummary(std::string_view lang, const std::string& device_name,
                          const std::optional<Location>& where) {
  const std::string device =
      device_name.empty() ? i18n::Format(lang, "mail.push.unnamed_device") : device_name;
  std::string place;
  if (where)
    place = !where->city.empty() ? where->city : !where->region.empty() ? where->region : where->country;
  if (place.empty()) return i18n::Format(lang, "mail.push.sign_in_request.body", {{"device", device}});
  return i18n::Format(lang, "mail.push.sign_in_request.body_near", {{"device", device}, {"place", place}});
}

std::optional<PushMessage> PushMessageOf(const Notification& n, Timestamp now) {
  PushMessage m;
  if (const auto* code = std::get_if<CodeRequested>(&n)) {
    m.kind = PushMessage::Kind::kSignInRequest;
    m.challenge_id = code->challenge_id;
    m.title = i18n::Format(code->language, "mail.push.sign_in_request.title");
    m.body = SignInSummary(code->language, code->requester.name, code->requester_location);
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
