// MissedNotifications: what the trusted devices connected to one instance
// may have missed while that instance heard no messages from the others
// (its database connection was down: a restart, a failover; SPEC §4 "a
// database restart loses no code on its way to a live device").
//
// The instance cannot know which messages were published while it was not
// listening, so it asks the store what could have been: the code requests
// sent since it last heard, and the challenges that ended and may still be
// on a screen. A device may get a message it already had (the same code for
// the same challenge, or a second challenge_resolved); both are idempotent
// for an app, whereas a missed one leaves a user without a code or with a
// dead one. Thread-safe (each call is its own read transaction).
#pragma once

#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/notifier.h"
#include "ports/store.h"
#include "service/sign_in_challenge.h"

namespace twostep::service {

class MissedNotifications {
 public:
  MissedNotifications(Store& store, const Clock& clock, const SignInCodes& codes)
      : store_(store), clock_(clock), codes_(codes) {}

  struct Missed {
    std::string account_id;
    // The device that must not get it (the requester, who resolved it
    // itself); empty: every trusted device of the account.
    std::string except_device_id;
    Notification notification;
  };

  // For each account, from the sign-in challenges alive at `since`: the
  // verification_code of every open app-channel one whose code was sent at
  // or after `since`, and challenge_resolved (its outcome) of every one that
  // has ended or expired. Throws StoreError.
  std::vector<Missed> Since(const std::vector<std::string>& account_ids, Timestamp since);

 private:
  Store& store_;
  const Clock& clock_;
  const SignInCodes& codes_;
};

}  // namespace twostep::service
