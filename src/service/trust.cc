#include "service/trust.h"

#include "domain/digests.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"

namespace twostep::service {

Secret TrustDevice(UnitOfWork& work, const ServiceEnv& env, const std::string& account_id,
                   const domain::DeviceDescription& device, const std::string& ip) {
  Secret secret = domain::GenerateToken(env.random);
  work->TrustDevice(account_id, device, ip, work.now(), domain::HashToken(secret.Reveal()));
  return secret;
}

bool ActsAsTrustedDevice(Transaction& tx, const ServiceEnv& env, const Caller& caller,
                         Timestamp now) {
  if (caller.device_secret_hash.empty()) return false;
  auto d = tx.FindDevice(caller.account_id, caller.device_id);
  return d && domain::IsLive(*d, now, env.policy.trusted_device_idle) && HoldsSecretOf(caller, *d);
}

bool HoldsSecretOf(const Caller& caller, const domain::DeviceRecord& device) {
  return !caller.device_secret_hash.empty() &&
         domain::ConstantTimeEquals(caller.device_secret_hash, device.secret_hash);
}

void TouchDevice(UnitOfWork& work, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip) {
  work->TouchDevice(account_id, device, ip, work.now());
}

std::string LocationText(const std::optional<Location>& l) {
  if (!l) return "Unknown";
  std::string out;
  for (const auto* part : {&l->city, &l->region, &l->country})
    if (!part->empty()) out += (out.empty() ? "" : ", ") + *part;
  return out.empty() ? "Unknown" : out;
}

void AlertIfNewDevice(UnitOfWork& work, const ServiceEnv& env, const domain::Account& account,
                      const domain::DeviceDescription& device, const std::string& ip,
                      bool proved_trusted) {
  // The very first device is the one that registered: nothing to alert.
  if (work->CountDevices(account.id) == 0) return;
  auto known = work->FindDevice(account.id, device.id);
  if (known && (!known->trusted || proved_trusted)) return;
  std::string name = device.name.empty() ? "Unnamed device" : device.name;
  if (!device.model.empty()) name += " (" + device.model + ")";
  work.Mail(domain::NewSignInMail(account.email, name, device.app.empty() ? "-" : device.app,
                                  work.now(), LocationText(env.geo.Locate(ip)), ip));
}

}  // namespace twostep::service
