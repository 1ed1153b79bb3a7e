// Use case: the account's language and time zone (U17, PATCH /v1/account).
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/account.h"
#include "service/results.h"
#include "service/work_source.h"

namespace twostep::service {

// What PATCH /v1/account may change; at least one is set.
struct AccountSettingsChange {
  std::optional<std::string> locale;     // one of i18n::kLanguages
  std::optional<std::string> time_zone;  // an IANA zone (i18n::IsTimeZone)
};

// 400 invalid_request unless `locale` is one of i18n::kLanguages and
// `time_zone` an IANA zone ICU knows (the detail names the field, never
// echoes the value).
Result<void> CheckLanguageSettings(std::string_view locale, std::string_view time_zone);

// GET /v1/account's answer.
AccountView ViewOfAccount(const domain::Account& account);

class AccountSettings {
 public:
  explicit AccountSettings(const WorkSource& works) : works_(works) {}

  // Changes what `change` sets; the account as it is now. Errors:
  // invalid_request (nothing to change, unknown language or zone: nothing
  // written), unauthorized (the account is gone).
  Result<AccountView> Update(const Caller& caller, const AccountSettingsChange& change);

 private:
  const WorkSource& works_;
};

}  // namespace twostep::service
