// The second step of a sign-in (U5-U7): the challenge for a device that is
// not trusted, and its codes. The code goes to every live trusted device
// ("app", the default) or, when there is none, by email.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/result.h"
#include "domain/account.h"
#include "domain/challenge.h"
#include "ports/geo_locator.h"
#include "ports/server_keys.h"
#include "service/email_codes.h"
#include "service/results.h"
#include "service/security_policy.h"
#include "service/trust.h"
#include "service/unit_of_work.h"

namespace twostep::service {

class SignInCodes {
 public:
  SignInCodes(Random& random, const KeyRing& keys, const GeoLocator& geo, const EmailCodes& email_codes,
              const DeviceTrust& trust)
      : random_(random), keys_(keys), geo_(geo), email_codes_(email_codes),
        trust_(trust) {}

  // In the sign-in's unit of work: refuses while the account is blocked
  // for wrong codes (429), applies the per-account challenge limit (10 per
  // hour), creates the challenge and sends the code (to the devices or by
  // mail).
  Result<ChallengeView> Start(UnitOfWork& work, const domain::Account& account,
                              const domain::DeviceDescription& device, const std::string& ip) const;

  // Issues a fresh code for `c` on `method` (domain::MarkSent already
  // called, or a new challenge), seals it for the app channel and hands the
  // notifications (to `live_trusted`, read once by the caller) or the mail
  // to `work`.
  void SendNewCode(UnitOfWork& work, domain::Challenge& c, const domain::Account& account,
                   domain::ChallengeMethod method,
                   const std::vector<domain::DeviceRecord>& live_trusted) const;

  // The live `verification_code` notification of `c` with its `code`, for
  // an account whose language is `lang` (the place's country, push texts).
  Notification CodeNotification(const domain::Challenge& c, Secret code, Timestamp now,
                                std::string_view lang) const;
  // The same for an open app-channel challenge, its code unsealed; nullopt
  // when it has none to show (an email challenge, or a seal that fails).
  // `tx`: where a key generation this instance does not know yet is found.
  std::optional<Notification> Reissue(Transaction& tx, const domain::Challenge& c, Timestamp now,
                                      std::string_view lang) const;


 private:
  Random& random_;
  const KeyRing& keys_;
  const GeoLocator& geo_;
  const EmailCodes& email_codes_;
  const DeviceTrust& trust_;
};

// The `challenge` object of the API for `c` (`live_trusted_devices` counts
// for sign-in challenges only). `methods` offers email only while the
// account's address takes mail (no permanent refusal since the last
// accepted delivery); a resend by email is still allowed.
ChallengeView ViewOf(const domain::ChallengePolicy& policy, const domain::Challenge& c,
                     const domain::Account& account, Timestamp now, size_t live_trusted_devices);

}  // namespace twostep::service
