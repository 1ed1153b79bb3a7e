// Starting a challenge whose code goes by email (registration, enabling
// two-step, password reset, or a sign-in without trusted devices), and
// checking a code against one. Shared by the use cases that send codes.
#pragma once

#include <string>

#include "base/result.h"
#include "base/secret.h"
#include "domain/challenge.h"
#include "domain/mail_templates.h"
#include "ports/store.h"
#include "base/random.h"
#include "ports/server_keys.h"
#include "service/security_policy.h"
#include "service/unit_of_work.h"

namespace twostep::service {

struct CodeRequest {
  domain::ChallengePurpose purpose;
  std::string email;       // where the code goes (normalised)
  std::string account_id;  // empty: a decoy that looks real but never verifies
  domain::DeviceDescription device;
  std::string ip;
  std::string app;  // registration: the app that registers
  // Registration: the Argon2id hash of the password this registration chose
  // (domain::Challenge::password_hash); the account takes it only when this
  // challenge is confirmed. Empty: confirming keeps the account's password
  // (the sign-in of an unverified account, which just proved it).
  std::string password_hash;
  // The language and zone of the code mail: the account's, or for a
  // registration those it chose (kept on the challenge: the account takes
  // them when it is confirmed).
  domain::MailLocale locale;
};

// Codes by email: starting a challenge, checking a code against one, and
// the mail-flood limit every code mail passes.
class EmailCodes {
 public:
  EmailCodes(Random& random, const KeyRing& keys)
      : random_(random), keys_(keys) {}

  // Applies the per-purpose limit (SPEC §2: 5 per purpose per hour, keyed
  // by email so it says nothing about whether the account exists), inserts
  // the challenge and queues the code mail (not for decoys, nor past the
  // mailbox limit: see MayMail). All in `work`.
  Result<domain::Challenge> Start(UnitOfWork& work, const CodeRequest& request) const;

  // Reads the challenge for update and applies one attempt with `code`.
  // Errors: 404 unknown id or other purpose; 400 invalid_code with
  // attempts_left; 410 challenge_expired; 403 challenge_denied. The attempt
  // is persisted in `work` (the caller commits, also on error).
  Result<domain::Challenge> Consume(UnitOfWork& work, const std::string& challenge_id,
                                    domain::ChallengePurpose purpose, const Secret& code) const;

  // The mail-flood limit (SPEC §2): true, and the mail counted, when one
  // more code or "already registered" mail may go to the mailbox of `email`
  // (domain::MailboxOf: "+tag" variants share it) within the hour. Past the
  // limit the caller answers exactly as usual and queues no mail, so
  // nothing reveals the limit (nor whether the address has an account).
  bool MayMail(UnitOfWork& work, const std::string& email) const;


 private:
  Random& random_;
  const KeyRing& keys_;
};

// Ends every open registration challenge of the account (U1: confirming one
// registration, or proving the mailbox by a reset, ends the others): marked
// expired, their code and carried password hash wiped.
void EndOpenRegistrations(UnitOfWork& work, const std::string& account_id);

// 400 unless `code` is exactly six ASCII digits.
Result<void> CheckCodeFormat(const Secret& code);

}  // namespace twostep::service
