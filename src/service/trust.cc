#include "service/trust.h"

#include "domain/digests.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"

namespace twostep::service {

Secret TrustDevice(Transaction& tx, const ServiceEnv& env, const std::string& account_id,
                   const domain::DeviceDescription& device, const std::string& ip, Timestamp now) {
  Secret secret = domain::GenerateToken(env.random);
  tx.TrustDevice(account_id, device, ip, now, domain::HashToken(secret.Reveal()));
  return secret;
}

bool ActsAsTrustedDevice(Transaction& tx, const ServiceEnv& env, const Caller& caller,
                         Timestamp now) {
  if (caller.device_secret_hash.empty()) return false;
  auto d = tx.FindDevice(caller.account_id, caller.device_id);
  return d && d->trusted && d->last_seen_at + env.policy.trusted_device_idle > now &&
         domain::ConstantTimeEquals(caller.device_secret_hash, d->secret_hash);
}

void TouchDevice(Transaction& tx, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip, Timestamp now) {
  tx.TouchDevice(account_id, device, ip, now);
}

std::string LocationText(const std::optional<Location>& l) {
  if (!l) return "Unknown";
  std::string out;
  for (const auto* part : {&l->city, &l->region, &l->country})
    if (!part->empty()) out += (out.empty() ? "" : ", ") + *part;
  return out.empty() ? "Unknown" : out;
}

void AlertIfNewDevice(Transaction& tx, const ServiceEnv& env, const domain::Account& account,
                      const domain::DeviceDescription& device, const std::string& ip,
                      Timestamp now, bool proved_trusted) {
  // The very first device is the one that registered: nothing to alert.
  if (tx.CountDevices(account.id) == 0) return;
  auto known = tx.FindDevice(account.id, device.id);
  if (known && (!known->trusted || proved_trusted)) return;
  std::string name = device.name.empty() ? "Unnamed device" : device.name;
  if (!device.model.empty()) name += " (" + device.model + ")";
  tx.EnqueueMail(domain::NewSignInMail(account.email, name, device.app.empty() ? "-" : device.app,
                                       now, LocationText(env.geo.Locate(ip)), ip),
                 now);
}

}  // namespace twostep::service
