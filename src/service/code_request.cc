#include "service/code_request.h"

#include "domain/code_seal.h"

namespace twostep::service {

std::optional<Notification> CodeRequestOf(const domain::Challenge& c, const ServerKeys& keys,
                                          const GeoLocator& geo, Timestamp now) {
  if (c.method != domain::ChallengeMethod::kApp) return std::nullopt;
  auto code = domain::OpenCode(keys.seal_key, c.id, c.sealed_code);
  if (!code) return std::nullopt;
  Notification n;
  n.type = Notification::Type::kVerificationCode;
  n.challenge_id = c.id;
  n.code = std::move(code);
  n.expires_in = std::chrono::ceil<seconds>(c.expires_at - now);
  n.requested_at = c.created_at;
  n.requester = c.requester;
  n.requester_ip = c.requester_ip;
  n.requester_location = geo.Locate(c.requester_ip);
  return n;
}

}  // namespace twostep::service
