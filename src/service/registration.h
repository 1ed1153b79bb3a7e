// Use cases: create an account (U1) and verify its email by code.
// Registration never reveals whether the email is taken: a taken, verified
// address gets the same 202 and a decoy challenge, and its owner an
// "already registered" email. Each registration challenge carries the hash
// of its own password: the account takes the password of the challenge that
// is confirmed, and that ends the other open registrations of the address,
// so whoever registers an address cannot choose the password its mailbox
// owner confirms (U1). Blocking (hashes a password): call it on the hashing
// pool. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "base/secret.h"
#include "domain/device.h"
#include "base/random.h"
#include "ports/password_hasher.h"
#include "service/email_codes.h"
#include "service/security_policy.h"
#include "service/trust.h"
#include "service/work_source.h"

namespace twostep::service {

struct RegisterRequest {
  std::string email;     // raw, as typed
  std::string password;  // raw UTF-8
  std::string app;
  std::optional<domain::DeviceDescription> device;
  std::string ip;
  // U17: one of i18n::kLanguages (the caller resolves "not given" to the
  // best match of Accept-Language) and an IANA zone ("UTC" when not given).
  std::string locale = "en";
  std::string time_zone = "UTC";
};

struct VerifyEmailResult {
  std::optional<Secret> device_secret;  // when the registering device became trusted
};

class Registration {
 public:
  Registration(const WorkSource& works, PasswordHasher& hasher, Random& random,
               const EmailCodes& codes, const DeviceTrust& trust)
      : works_(works), hasher_(hasher), random_(random), codes_(codes), trust_(trust) {}

  // 202 {challenge_id}. Errors: invalid_email, weak_password,
  // invalid_request (unknown app, bad device, unknown locale or time
  // zone), rate_limited (per purpose
  // and address, or per client IP: checked before the hash).
  Result<std::string> Register(const RegisterRequest& request);

  // Errors as EmailCodes::Consume (service/email_codes.h).
  Result<VerifyEmailResult> VerifyEmail(const std::string& challenge_id, const Secret& code);

 private:
  const WorkSource& works_;
  PasswordHasher& hasher_;
  Random& random_;
  const EmailCodes& codes_;
  const DeviceTrust& trust_;
};

}  // namespace twostep::service
