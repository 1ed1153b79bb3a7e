#include "service/sign_in_challenge.h"

#include "domain/code_seal.h"
#include "domain/digests.h"
#include "domain/email_address.h"
#include "domain/mail_templates.h"
#include "domain/random_values.h"
#include "domain/rate_limit.h"
#include "service/place.h"
#include "service/throttle.h"

namespace twostep::service {


ChallengeView ViewOf(const domain::ChallengePolicy& policy, const domain::Challenge& c,
                     const domain::Account& account, Timestamp now, size_t live_trusted_devices) {
  ChallengeView v;
  v.challenge_id = c.id;
  v.method = std::string(domain::MethodName(c.method));
  const size_t trusted =
      c.purpose == domain::ChallengePurpose::kSignIn ? live_trusted_devices : 0;
  if (trusted > 0) v.methods.push_back("app");
  if (!account.email_undeliverable_since) v.methods.push_back("email");
  v.destination = c.method == domain::ChallengeMethod::kApp
                      ? std::to_string(trusted) + (trusted == 1 ? " trusted device" : " trusted devices")
                      : domain::MaskEmail(account.email);
  v.expires_in = c.expires_at > now ? std::chrono::ceil<seconds>(c.expires_at - now) : seconds(0);
  v.resend_in = domain::ResendIn(c, now, policy);
  return v;
}

Notification SignInCodes::CodeNotification(const domain::Challenge& c, Secret code, Timestamp now,
                                           std::string_view lang) const {
  CodeRequested n{c.id,         std::move(code), std::chrono::ceil<seconds>(c.expires_at - now),
                  c.created_at, c.requester,     c.requester_ip,
                  LocateIn(geo_, c.requester_ip, lang)};
  n.language = std::string(lang);
  return n;
}

std::optional<Notification> SignInCodes::Reissue(Transaction& tx, const domain::Challenge& c,
                                                 Timestamp now, std::string_view lang) const {
  if (c.method != domain::ChallengeMethod::kApp) return std::nullopt;
  const auto pair = keys_.Find(tx, c.key_id);
  if (!pair) return std::nullopt;  // sealed with a pair no longer kept
  auto code = domain::OpenCode(pair->seal_key, c.id, c.sealed_code);
  if (!code) return std::nullopt;
  return CodeNotification(c, std::move(*code), now, lang);
}

void SignInCodes::SendNewCode(UnitOfWork& work, domain::Challenge& c,
                              const domain::Account& account, domain::ChallengeMethod method,
                              const std::vector<domain::DeviceRecord>& live_trusted) const {
  Secret code = domain::GenerateCode(random_);
  c.method = method;
  const auto keys = keys_.Current();  // one pair for the hash, the seal and the id
  c.code_hash = domain::HashCode(keys->code_hmac_key, c.id, code);
  c.key_id = keys->key_id;
  if (method == domain::ChallengeMethod::kApp) {
    c.sealed_code = domain::SealCode(keys->seal_key, c.id, code, random_);
    for (const auto& d : live_trusted)
      work.Notify(account.id, d.description.id, CodeNotification(c, code, work.now(), account.locale));
    work.Count("codes_sent", "app");
    return;
  }
  c.sealed_code.clear();
  // Sign-in codes and their resends count against the mailbox too; past
  // the limit the code exists but is not mailed (SPEC §2).
  if (!email_codes_.MayMail(work, account.email)) return;
  int minutes = static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(work.policy().challenge.ttl).count());
  const auto requester = RequesterOf(geo_, c.requester, c.requester_ip, work.now(), account.locale);
  auto mail = domain::VerificationCodeMail(domain::MailLocaleOf(account), account.email, code.Reveal(),
                                           domain::CodePurpose::kSignIn, minutes, &requester);
  mail.challenge_id = c.id;
  work.Mail(mail);
  work.Count("codes_sent", "email");
}

Result<ChallengeView> SignInCodes::Start(UnitOfWork& work, const domain::Account& account,
                                         const domain::DeviceDescription& device,
                                         const std::string& ip) const {
  const Timestamp now = work.now();
  if (account.challenges_blocked_until && *account.challenges_blocked_until > now)
    return Error::RateLimited(std::chrono::ceil<seconds>(*account.challenges_blocked_until - now),
                              "Too many wrong codes. Try again later.");
  const auto key = domain::SignInChallengesKey(account.id);
  if (auto r = TakeSlot(work.tx(), key, work.policy().sign_in_challenges, now); !r)
    return std::move(r).error();
  const auto trusted = trust_.LiveTrusted(work.tx(), account.id, now);
  const auto method = trusted.empty() ? domain::ChallengeMethod::kEmail : domain::ChallengeMethod::kApp;
  auto c = domain::NewChallenge(domain::GenerateId(random_, "chl"), account.id,
                                domain::ChallengePurpose::kSignIn, method, now, work.policy().challenge,
                                device, ip);
  c.email = account.email;
  SendNewCode(work, c, account, method, trusted);
  work->InsertChallenge(c);
  work->AppendLoginEvent(LoginEvent::OfChallenge(c, now, domain::LoginEventKind::kChallengeSent,
                                                 domain::LoginOutcome::kSent));
  return ViewOf(work.policy().challenge, c, account, now, trusted.size());
}

}  // namespace twostep::service
