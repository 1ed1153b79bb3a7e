// Notices collected inside a transaction and sent after it commits, so no
// device is told about a change that then rolls back.
#pragma once

#include <string>
#include <vector>

#include "domain/account.h"
#include "domain/challenge.h"
#include "ports/notifier.h"
#include "service/service_env.h"

namespace twostep::service {

struct Notice {
  std::string account_id;
  std::string device_id;
  Notification notification;
};
using Notices = std::vector<Notice>;

void SendAll(const ServiceEnv& env, const Notices& notices);

// Trusted devices that are still trusted at `now` (not idle too long).
std::vector<domain::DeviceRecord> LiveTrustedDevices(Transaction& tx, const ServiceEnv& env,
                                                     const std::string& account_id, Timestamp now);

// `challenge_resolved` for every live trusted device of the account.
void AddResolved(Notices& out, Transaction& tx, const ServiceEnv& env,
                 const domain::Challenge& c, std::string_view outcome, Timestamp now);

}  // namespace twostep::service
