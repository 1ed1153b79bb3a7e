#include "service/sessions.h"

#include "domain/digests.h"
#include "service/notices.h"
#include "service/session_issuer.h"
#include "service/trust.h"

#include <algorithm>

namespace twostep::service {

Result<Caller> Sessions::Authenticate(const Secret& access_token) {
  auto tx = env_.store.BeginRead();
  auto caller = Authenticate(*tx, access_token);
  tx->Commit();
  return caller;
}

Result<Caller> Sessions::Authenticate(Transaction& tx, const Secret& access_token) {
  if (access_token.empty() || access_token.size() > 256) return Error::Unauthorized();
  auto grant = tx.FindValidAccess(domain::HashToken(access_token.Reveal()), env_.clock.Now());
  if (!grant) return Error::Unauthorized();
  return Caller{grant->account_id, grant->family_id, grant->device_id, grant->device_secret_hash};
}

Result<DeviceSession> Sessions::AuthenticateDevice(const Secret& access_token) {
  auto tx = env_.store.BeginRead();
  auto caller = Authenticate(*tx, access_token);
  if (!caller) return std::move(caller).error();
  const Timestamp now = env_.clock.Now();
  DeviceSession out{*caller, ActsAsTrustedDevice(*tx, env_, *caller, now)};
  if (!out.trusted_device) {
    auto d = tx->FindDevice(caller->account_id, caller->device_id);
    if (d && d->trusted && d->last_seen_at + env_.policy.trusted_device_idle > now)
      return Error{ErrorCode::kForbidden,
                   "This session did not sign in as this trusted device. Sign in again."};
  }
  tx->Commit();
  return out;
}

std::vector<std::string> Sessions::EndedSessions(const std::vector<std::string>& family_ids) {
  if (family_ids.empty()) return {};
  auto tx = env_.store.BeginRead();
  auto live = tx->LiveFamilies(family_ids, env_.clock.Now());
  tx->Commit();
  std::sort(live.begin(), live.end());
  std::vector<std::string> ended;
  for (const auto& f : family_ids)
    if (!std::binary_search(live.begin(), live.end(), f)) ended.push_back(f);
  return ended;
}

Result<IssuedSession> Sessions::Refresh(const Secret& refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 256) return Error::Unauthorized();
  const Timestamp now = env_.clock.Now();
  const std::string hash = domain::HashToken(refresh_token.Reveal());
  auto tx = env_.store.Begin();
  auto record = tx->LockRefreshToken(hash);
  if (!record || record->family_revoked || record->expires_at <= now) return Error::Unauthorized();
  if (record->used) {
    // A rotated token came back: it was copied. Kill the family so neither
    // the thief nor the victim keeps a session from it.
    tx->RevokeFamily(record->family_id, now);
    tx->Commit();
    env_.counters.Increment("refresh_reuse", "revoked");
    Notification n;
    n.type = Notification::Type::kSignedOut;
    n.reason = "session_ended";
    n.family_id = record->family_id;
    SendAll(env_, {{record->account_id, record->device_id, n}});
    return Error::Unauthorized();
  }
  auto account = tx->FindAccountById(record->account_id);
  if (!account) return Error::Unauthorized();
  tx->MarkRefreshUsed(hash);
  // A refresh is use: it keeps a trusted device from idling out (180 days).
  // Only last_seen_at moves: a refresh never writes trust (a removal that
  // commits meanwhile stays removed).
  tx->MarkDeviceSeen(record->account_id, record->device_id, now);
  auto session = IssueTokenPair(*tx, env_, *account, record->family_id, now);
  tx->Commit();
  return session;
}

void Sessions::SignOut(const Caller& caller) {
  auto tx = env_.store.Begin();
  tx->RevokeFamily(caller.family_id, env_.clock.Now());
  tx->Commit();
  Notification n;
  n.type = Notification::Type::kSignedOut;
  n.reason = "signed_out";
  n.family_id = caller.family_id;
  SendAll(env_, {{caller.account_id, caller.device_id, n}});
}

Result<AccountView> Sessions::GetAccount(Transaction& tx, const Caller& caller) {
  auto account = tx.FindAccountById(caller.account_id);
  if (!account) return Error::Unauthorized();
  return AccountView{account->id, account->email, account->email_verified, account->created_at};
}

}  // namespace twostep::service
