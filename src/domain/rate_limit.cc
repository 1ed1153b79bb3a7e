#include "domain/rate_limit.h"

namespace twostep::domain {

RateDecision DecideRate(const WindowCount& count, Timestamp now, const RateLimit& limit) {
  if (count.hits < limit.limit) return {true};
  seconds wait{1};
  if (count.oldest) {
    auto free_at = *count.oldest + limit.window;
    if (free_at > now) wait = std::chrono::ceil<seconds>(free_at - now);
  }
  return {false, wait < seconds(1) ? seconds(1) : wait};
}

std::string PasswordFailuresByAccountKey(const std::string& email) { return "pwfail:acct:" + email; }
std::string PasswordFailuresByIpKey(const std::string& ip) { return "pwfail:ip:" + ip; }
std::string EmailCodesKey(const std::string& purpose, const std::string& email) {
  return "codes:" + purpose + ":" + email;
}
std::string SignInChallengesKey(const std::string& account_id) { return "signin:" + account_id; }
std::string RegistrationsByIpKey(const std::string& ip) { return "reg:ip:" + ip; }
std::string ResetsByIpKey(const std::string& ip) { return "reset:ip:" + ip; }
std::string MailsToMailboxKey(const std::string& mailbox) { return "mail:box:" + mailbox; }

}  // namespace twostep::domain
