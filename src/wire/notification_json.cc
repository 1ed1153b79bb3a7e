#include "wire/notification_json.h"

#include <boost/json.hpp>

namespace twostep::wire {

namespace json = boost::json;

json::value EncodeLocation(const std::optional<Location>& l) {
  if (!l) return nullptr;
  return json::object{{"city", l->city}, {"region", l->region}, {"country", l->country},
                      {"country_code", l->country_code}};
}

json::object EncodeNotification(const Notification& n) {
  switch (n.type) {
    case Notification::Type::kVerificationCode: {
      const auto& d = n.requester;
      json::object device{{"name", d.name}, {"model", d.model}, {"os", d.os},
                          {"app", d.app}, {"app_version", d.app_version}};
      return json::object{
          {"type", "verification_code"},
          {"challenge_id", n.challenge_id},
          {"code", n.code ? std::string(n.code->Reveal()) : std::string()},
          {"expires_in", n.expires_in.count()},
          {"requested_at", FormatRfc3339(n.requested_at)},
          {"requester", json::object{{"device", std::move(device)},
                                     {"ip", n.requester_ip},
                                     {"location", EncodeLocation(n.requester_location)}}}};
    }
    case Notification::Type::kChallengeResolved:
      return json::object{{"type", "challenge_resolved"},
                          {"challenge_id", n.challenge_id},
                          {"outcome", n.outcome}};
    case Notification::Type::kSignedOut:
      return json::object{{"type", "signed_out"}, {"reason", n.reason}};
  }
  return {};
}

std::string NotificationText(const Notification& n) {
  return json::serialize(EncodeNotification(n));
}

}  // namespace twostep::wire
