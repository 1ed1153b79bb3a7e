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
#include "service/trust.h"
#include "service/unit_of_work.h"

namespace twostep::service {

// `challenge_resolved` (U8) for every live trusted device of the account but
// the one that resolved it (a new device that just became trusted by this
// very challenge has nothing on its screen to clear).
void AnnounceResolved(UnitOfWork& work, const DeviceTrust& trust, const domain::Challenge& c,
                      ResolvedOutcome outcome);

// `signed_out` with `reason` to each device (of `family_id` only, when set).
void AnnounceSignedOut(UnitOfWork& work, const std::string& account_id,
                       const std::vector<std::string>& devices, SignOutReason reason,
                       const std::string& family_id = {});

}  // namespace twostep::service
