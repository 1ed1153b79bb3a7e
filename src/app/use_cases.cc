#include "app/use_cases.h"

namespace twostep::app {

UseCases::UseCases(const ServicePorts& p)
    : works(p.store, p.clock, service::Announcer{p.notifier, p.counters, p.mail_queued}),
      issuer(p.random, p.policy),
      trust(p.random, p.geo, p.policy),
      email_codes(p.random, p.keys, p.policy),
      sign_in_codes(p.random, p.keys, p.geo, p.policy, email_codes, trust),
      registration(works, p.hasher, p.random, email_codes, trust, p.policy),
      sign_in(works, p.hasher, p.random, sign_in_codes, email_codes, trust, issuer, p.policy),
      verify_sign_in(works, email_codes, trust, issuer, p.policy),
      sessions(works, issuer, trust),
      passwords(works, p.hasher, email_codes, p.policy),
      two_step(works, p.hasher, email_codes, trust, p.policy),
      challenges(works, sign_in_codes, trust),
      devices(works, trust, p.geo),
      rollouts(works, p.policy),
      push(p.store, p.clock),
      challenge_status(works, trust, p.policy),
      account_settings(works) {}

http::ApiUseCases UseCases::Api() {
  return {registration, sign_in,  verify_sign_in, sessions, passwords,
          two_step,     challenges, devices,      rollouts, push, challenge_status, account_settings};
}

}  // namespace twostep::app
