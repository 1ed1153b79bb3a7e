// The composition root of the service layer: every use case and the
// collaborators they share (codes, trust, sessions), each built once with
// just the ports it names in its constructor. The server (server_app.cc)
// and the service tests (testing/service_fixture.h) build the same graph.
#pragma once

#include <functional>

#include "base/random.h"
#include "http/api_use_cases.h"
#include "ports/clock.h"
#include "ports/counters.h"
#include "ports/geo_locator.h"
#include "ports/notifier.h"
#include "ports/password_hasher.h"
#include "ports/server_keys.h"
#include "ports/store.h"
#include "service/security_policy.h"
#include "service/work_source.h"

namespace twostep::app {

// The ports of this process. References: the owner outlives UseCases.
struct ServicePorts {
  Store& store;
  Clock& clock;
  Random& random;
  PasswordHasher& hasher;
  Counters& counters;
  const KeyRing& keys;
  // Replaced whole by a reload; each request reads one snapshot of it.
  const service::LivePolicy& policy;
  Notifier& notifier;
  const GeoLocator& geo;
  // Wakes the outbox sender after a commit that queued mail.
  std::function<void()> mail_queued = [] {};
};

// Members are built in declaration order: collaborators before the use
// cases that hold them. Not copyable (the use cases hold references into it).
class UseCases {
 public:
  explicit UseCases(const ServicePorts& ports);
  UseCases(const UseCases&) = delete;
  UseCases& operator=(const UseCases&) = delete;

  http::ApiUseCases Api();

  service::WorkSource works;
  service::SessionIssuer issuer;
  service::DeviceTrust trust;
  service::EmailCodes email_codes;
  service::SignInCodes sign_in_codes;

  service::Registration registration;
  service::SignIn sign_in;
  service::VerifySignIn verify_sign_in;
  service::Sessions sessions;
  service::Passwords passwords;
  service::TwoStep two_step;
  service::ChallengeActions challenges;
  service::Devices devices;
  service::Rollouts rollouts;
  service::PushRegistrations push;
  service::ChallengeStatus challenge_status;
  service::AccountSettings account_settings;
};

}  // namespace twostep::app
