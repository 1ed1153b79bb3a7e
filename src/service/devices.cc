#include "service/devices.h"

#include "service/notices.h"
#include "service/place.h"
#include "service/trust.h"

namespace twostep::service {

namespace {
// The account's language, for the country names of its places.
std::string LanguageOf(Transaction& tx, const std::string& account_id) {
  const auto account = tx.FindAccountById(account_id);
  return account ? account->locale : "en";
}
}  // namespace

Result<std::vector<TrustedDeviceView>> Devices::List(const Secret& access_token) {
  return ReadAs(works_, access_token, [this](ReadSnapshot& snapshot, const Caller& caller)
                                          -> Result<std::vector<TrustedDeviceView>> {
    const Timestamp now = snapshot.now();
    std::vector<TrustedDeviceView> out;
    // "This device" only for a session that proved to be it (U9).
    const bool is_this = trust_.ActsAsTrusted(snapshot.tx(), caller, now);
    const std::string lang = LanguageOf(snapshot.tx(), caller.account_id);
    for (const auto& d : trust_.LiveTrusted(snapshot.tx(), caller.account_id, now)) {
      out.push_back({d.description, d.trusted_at.value_or(d.first_seen_at), d.last_seen_at,
                     LocateIn(geo_, d.last_ip, lang), d.description.id == caller.device_id && is_this});
    }
    return out;
  });
}

Result<void> Devices::Remove(const Caller& caller, const std::string& device_id,
                             const std::string& ip) {
  auto work = works_.Begin();
  auto d = work->FindDevice(caller.account_id, device_id);
  if (!d || !d->trusted) return Error::NotFound("No such trusted device.");
  // Compare-and-set on the secret read above; then the families, which
  // (in this order) include a session a racing trusted sign-in committed.
  if (!work->UntrustDevice(caller.account_id, device_id, d->secret_hash))
    throw StoreConflict("the device's trust changed meanwhile");
  work->RevokeDeviceFamilies(caller.account_id, device_id, work.now());
  work->AppendLoginEvent(LoginEvent::DeviceRemoved(caller.account_id, work.now(), d->description, ip));
  AnnounceSignedOut(work, caller.account_id, {device_id}, SignOutReason::kDeviceRemoved);
  work.Commit();
  return Ok();
}

Result<std::vector<ActivityView>> Devices::Activity(const Secret& access_token, int limit,
                                                    int64_t before) {
  return ReadAs(works_, access_token, [&](ReadSnapshot& snapshot, const Caller& caller)
                                          -> Result<std::vector<ActivityView>> {
    if (limit < 1 || limit > 100) return Error::InvalidRequest("limit must be 1 to 100.");
    if (before < 0) return Error::InvalidRequest("before must be an event id.");
    std::vector<ActivityView> out;
    const std::string lang = LanguageOf(snapshot.tx(), caller.account_id);
    for (auto& e : snapshot->ListLoginEvents(caller.account_id, before, limit)) {
      auto loc = LocateIn(geo_, e.ip, lang);
      out.push_back({std::move(e), std::move(loc)});
    }
    return out;
  });
}

}  // namespace twostep::service
