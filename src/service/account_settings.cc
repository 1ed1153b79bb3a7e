#include "service/account_settings.h"

#include "i18n/messages.h"

namespace twostep::service {

Result<void> CheckLanguageSettings(std::string_view locale, std::string_view time_zone) {
  if (!i18n::IsLanguage(locale))
    return Error::InvalidRequest(
        "locale must be one of en, zh-Hant, zh-Hans, de, fr, es, ja, cs.");
  if (!i18n::IsTimeZone(time_zone))
    return Error::InvalidRequest("time_zone must be an IANA time zone name such as Europe/Prague.");
  return Ok();
}

AccountView ViewOfAccount(const domain::Account& account) {
  return AccountView{account.id,         account.email,  account.email_verified,
                     account.created_at, account.locale, account.time_zone};
}

Result<AccountView> AccountSettings::Update(const Caller& caller,
                                            const AccountSettingsChange& change) {
  if (!change.locale && !change.time_zone)
    return Error::InvalidRequest("Give locale, time_zone or both.");
  if (auto valid = CheckLanguageSettings(change.locale.value_or("en"), change.time_zone.value_or("UTC"));
      !valid)
    return std::move(valid).error();
  auto work = works_.Begin();
  auto account = work->FindAccountById(caller.account_id);
  if (!account) return Error::Unauthorized();
  if (change.locale) account->locale = *change.locale;
  if (change.time_zone) account->time_zone = *change.time_zone;
  work->UpdateAccount(*account);
  work.Commit();
  return ViewOfAccount(*account);
}

}  // namespace twostep::service
