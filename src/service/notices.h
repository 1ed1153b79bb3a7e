// What the trusted devices of an account are told, and who they are.
// Notifications are handed to the unit of work, which sends them only after
// its commit, so no device hears of a change that then rolls back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/account.h"
#include "domain/challenge.h"
#include "ports/store.h"
#include "service/service_env.h"

namespace twostep::service {

// Trusted devices that are still trusted at `now` (domain::IsLive).
std::vector<domain::DeviceRecord> LiveTrustedDevices(Transaction& tx, const SecurityPolicy& policy,
                                                     const std::string& account_id, Timestamp now);
inline std::vector<domain::DeviceRecord> LiveTrustedDevices(Transaction& tx, const ServiceEnv& env,
                                                            const std::string& account_id,
                                                            Timestamp now) {
  return LiveTrustedDevices(tx, env.policy, account_id, now);
}

// `challenge_resolved` (U8) for every live trusted device of the account but
// the one that resolved it (a new device that just became trusted by this
// very challenge has nothing on its screen to clear).
void AnnounceResolved(UnitOfWork& work, const ServiceEnv& env, const domain::Challenge& c,
                      std::string_view outcome);

// `signed_out` with `reason` to each device (of `family_id` only, when set).
void AnnounceSignedOut(UnitOfWork& work, const std::string& account_id,
                       const std::vector<std::string>& devices, std::string_view reason,
                       const std::string& family_id = {});

}  // namespace twostep::service
