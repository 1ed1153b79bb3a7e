#include "service/sessions.h"

#include "domain/digests.h"
#include "service/account_settings.h"
#include "service/notices.h"
#include "service/session_issuer.h"
#include "service/trust.h"

#include <algorithm>

namespace twostep::service {

Result<Caller> Sessions::Authenticate(const Secret& access_token) {
  auto snapshot = works_.Read();
  return service::Authenticate(snapshot.tx(), access_token, snapshot.now());
}

Result<DeviceSession> Sessions::AuthenticateDevice(const Secret& access_token) {
  auto snapshot = works_.Read();
  auto caller = service::Authenticate(snapshot.tx(), access_token, snapshot.now());
  if (!caller) return std::move(caller).error();
  auto d = snapshot->FindDevice(caller->account_id, caller->device_id);
  const bool live = d && domain::IsLive(*d, snapshot.now(), trust_.idle_limit());
  DeviceSession out{*caller, live && HoldsSecretOf(*caller, *d)};
  if (live && !out.trusted_device)
    return Error{ErrorCode::kForbidden,
                 "This session did not sign in as this trusted device. Sign in again."};
  return out;
}

std::vector<std::string> Sessions::EndedSessions(const std::vector<std::string>& family_ids) {
  if (family_ids.empty()) return {};
  auto snapshot = works_.Read();
  auto live = snapshot->LiveFamilies(family_ids, snapshot.now());
  std::sort(live.begin(), live.end());
  std::vector<std::string> ended;
  for (const auto& f : family_ids)
    if (!std::binary_search(live.begin(), live.end(), f)) ended.push_back(f);
  return ended;
}

Result<IssuedSession> Sessions::Refresh(const Secret& refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 256) return Error::Unauthorized();
  const std::string hash = domain::HashToken(refresh_token.Reveal());
  auto work = works_.Begin();
  const Timestamp now = work.now();
  auto record = work->LockRefreshToken(hash);
  if (!record || record->family_revoked || record->expires_at <= now) return Error::Unauthorized();
  if (record->used) {
    // A rotated token came back: it was copied. Kill the family so neither
    // the thief nor the victim keeps a session from it, and close that
    // session's live connection.
    work->RevokeFamily(record->family_id, now);
    AnnounceSignedOut(work, record->account_id, {record->device_id}, SignOutReason::kSessionEnded,
                      record->family_id);
    work.Count("refresh_reuse", "revoked");
    work.Commit();
    return Error::Unauthorized();
  }
  auto account = work->FindAccountById(record->account_id);
  if (!account) return Error::Unauthorized();
  work->MarkRefreshUsed(hash);
  // A refresh is use: it keeps a trusted device from idling out (180 days).
  // Only last_seen_at moves: a refresh never writes trust (a removal that
  // commits meanwhile stays removed).
  work->MarkDeviceSeen(record->account_id, record->device_id, now);
  auto session = issuer_.IssuePair(work, *account, record->family_id);
  work.Commit();
  return session;
}

void Sessions::SignOut(const Caller& caller) {
  auto work = works_.Begin();
  work->RevokeFamily(caller.family_id, work.now());
  AnnounceSignedOut(work, caller.account_id, {caller.device_id}, SignOutReason::kSignedOut, caller.family_id);
  work.Commit();
}

Result<AccountView> Sessions::GetAccount(const Secret& access_token) {
  return ReadAs(works_, access_token,
                [](ReadSnapshot& snapshot, const Caller& caller) -> Result<AccountView> {
    auto account = snapshot->FindAccountById(caller.account_id);
    if (!account) return Error::Unauthorized();
    return ViewOfAccount(*account);
  });
}

}  // namespace twostep::service
