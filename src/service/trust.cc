#include "service/trust.h"

#include "domain/digests.h"
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

}  // namespace twostep::service
