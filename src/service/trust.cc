#include "service/trust.h"

#include "domain/digests.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"
#include "service/place.h"

namespace twostep::service {

Secret DeviceTrust::Trust(UnitOfWork& work, const std::string& account_id,
                          const domain::DeviceDescription& device, const std::string& ip) const {
  Secret secret = domain::GenerateToken(random_);
  work->TrustDevice(account_id, device, ip, work.now(), domain::HashToken(secret.Reveal()));
  return secret;
}

bool DeviceTrust::ActsAsTrusted(Transaction& tx, const Caller& caller, Timestamp now) const {
  if (caller.device_secret_hash.empty()) return false;
  auto d = tx.FindDevice(caller.account_id, caller.device_id);
  return d && domain::IsLive(*d, now, idle_limit_) && HoldsSecretOf(caller, *d);
}

std::vector<domain::DeviceRecord> DeviceTrust::LiveTrusted(Transaction& tx,
                                                           const std::string& account_id,
                                                           Timestamp now) const {
  return LiveTrusted(tx.ListTrustedDevices(account_id), now);
}

std::vector<domain::DeviceRecord> DeviceTrust::LiveTrusted(
    std::vector<domain::DeviceRecord> trusted, Timestamp now) const {
  std::erase_if(trusted, [&](const domain::DeviceRecord& d) {
    return !domain::IsLive(d, now, idle_limit_);
  });
  return trusted;
}

void DeviceTrust::AlertIfNew(UnitOfWork& work, const domain::Account& account,
                             const domain::DeviceDescription& device, const std::string& ip,
                             bool proved_trusted) const {
  // The very first device is the one that registered: nothing to alert.
  if (work->CountDevices(account.id) == 0) return;
  auto known = work->FindDevice(account.id, device.id);
  if (known && (!known->trusted || proved_trusted)) return;
  work.Mail(domain::NewSignInMail(domain::MailLocaleOf(account), account.email,
                                  RequesterOf(geo_, device, ip, work.now(), account.locale)));
}

bool HoldsSecretOf(const Caller& caller, const domain::DeviceRecord& device) {
  return !caller.device_secret_hash.empty() &&
         domain::ConstantTimeEquals(caller.device_secret_hash, device.secret_hash);
}

void TouchDevice(UnitOfWork& work, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip) {
  work->TouchDevice(account_id, device, ip, work.now());
}

}  // namespace twostep::service
