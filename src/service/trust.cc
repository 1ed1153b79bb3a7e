#include "service/trust.h"

#include "domain/digests.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"

namespace twostep::service {

namespace {
domain::DeviceRecord Seen(Transaction& tx, const std::string& account_id,
                          const domain::DeviceDescription& device, const std::string& ip,
                          Timestamp now) {
  auto record = tx.FindDevice(account_id, device.id);
  if (!record) {
    record = domain::DeviceRecord{};
    record->account_id = account_id;
    record->first_seen_at = now;
  }
  record->description = device;
  record->last_seen_at = now;
  record->last_ip = ip;
  return *record;
}
}  // namespace

Secret TrustDevice(Transaction& tx, const ServiceEnv& env, const std::string& account_id,
                   const domain::DeviceDescription& device, const std::string& ip, Timestamp now) {
  auto record = Seen(tx, account_id, device, ip, now);
  Secret secret = domain::GenerateToken(env.random);
  record.trusted = true;
  record.trusted_at = now;
  record.secret_hash = domain::HashToken(secret.Reveal());
  tx.UpsertDevice(record);
  return secret;
}

void TouchDevice(Transaction& tx, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip, Timestamp now) {
  tx.UpsertDevice(Seen(tx, account_id, device, ip, now));
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
                      Timestamp now) {
  // The very first device is the one that registered: nothing to alert.
  if (tx.FindDevice(account.id, device.id) || tx.CountDevices(account.id) == 0) return;
  std::string name = device.name.empty() ? "Unnamed device" : device.name;
  if (!device.model.empty()) name += " (" + device.model + ")";
  tx.EnqueueMail(domain::NewSignInMail(account.email, name, device.app.empty() ? "-" : device.app,
                                       now, LocationText(env.geo.Locate(ip)), ip),
                 now);
}

}  // namespace twostep::service
