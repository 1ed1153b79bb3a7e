#include "app/use_cases.h"

namespace twostep::app {

UseCases::UseCases(const ServicePorts& p)
    : works(p.store, p.clock, service::Announcer{p.notifier, p.counters, p.mail_queued}, p.policy),
      issuer(p.random),
      trust(p.random, p.geo, p.policy.Get()->trusted_device_idle),
      email_codes(p.random, p.keys),
      sign_in_codes(p.random, p.keys, p.geo, email_codes, trust),
      registration(works, p.hasher, p.random, email_codes, trust),
      sign_in(works, p.hasher, p.random, sign_in_codes, email_codes, trust, issuer),
      verify_sign_in(works, email_codes, trust, issuer),
      sessions(works, issuer, trust),
      passwords(works, p.hasher, email_codes),
      two_step(works, p.hasher, email_codes, trust),
      challenges(works, sign_in_codes, trust),
      devices(works, trust, p.geo),
      rollouts(works),
      push(p.store, p.clock),
      challenge_status(works, trust),
      account_settings(works) {}

http::ApiUseCases UseCases::Api() {
  return {registration, sign_in,  verify_sign_in, sessions, passwords,
          two_step,     challenges, devices,      rollouts, push, challenge_status, account_settings};
}

}  // namespace twostep::app
