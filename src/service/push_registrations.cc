#include "service/push_registrations.h"

#include "domain/push_token.h"

namespace twostep::service {

Result<void> PushRegistrations::Register(const Caller& caller, const PushTokenRequest& request) {
  auto provider = domain::ParsePushProvider(request.provider);
  if (!provider) return Error::InvalidRequest("provider must be \"fcm\" or \"apns\".");
  if (!domain::IsValidPushToken(*provider, request.token))
    return Error::InvalidRequest(*provider == domain::PushProvider::kApns
                                     ? "token must be an APNs device token (hex)."
                                     : "token must be an FCM registration token.");
  auto tx = store_.Begin();
  // The app of the device says whose push credentials reach it.
  auto device = tx->FindDevice(caller.account_id, caller.device_id);
  if (!device) return Error::NotFound("This device is not known to the account.");
  tx->PutPushToken({caller.account_id, caller.device_id, caller.family_id, device->description.app,
                    *provider, request.token, request.also_when_live, clock_.Now()});
  tx->Commit();
  return Ok();
}

void PushRegistrations::Unregister(const Caller& caller) {
  auto tx = store_.Begin();
  tx->DeletePushToken(caller.account_id, caller.device_id);
  tx->Commit();
}

}  // namespace twostep::service
