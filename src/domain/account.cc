#include "domain/account.h"

namespace twostep::domain {

bool IsLive(const DeviceRecord& device, Timestamp now, seconds idle) {
  return device.trusted && device.last_seen_at + idle > now;
}

WrongCodeEffect ApplyWrongCode(Account& account, Timestamp now, const WrongCodePolicy& policy) {
  ++account.wrong_code_streak;
  if (account.wrong_code_streak >= policy.block)
    account.challenges_blocked_until = now + policy.block_for;
  return account.wrong_code_streak == policy.alert ? WrongCodeEffect::kAlertOwner
                                                   : WrongCodeEffect::kNone;
}

bool ClearWrongCodes(Account& account) {
  if (account.wrong_code_streak == 0) return false;
  account.wrong_code_streak = 0;
  return true;
}

}  // namespace twostep::domain
