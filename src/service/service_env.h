// ServiceEnv: the ports every use case of this service shares, injected once
// by the composition root (app/server_app.cc). Holding references only; the
// owner outlives every use case.
#pragma once

#include <functional>

#include "ports/clock.h"
#include "ports/counters.h"
#include "ports/geo_locator.h"
#include "ports/notifier.h"
#include "ports/password_hasher.h"
#include "base/random.h"
#include "ports/server_keys.h"
#include "ports/store.h"
#include "service/security_policy.h"
#include "service/unit_of_work.h"

namespace twostep::service {

struct ServiceEnv {
  Store& store;
  Clock& clock;
  Random& random;
  PasswordHasher& hasher;
  Counters& counters;
  const ServerKeys& keys;
  const SecurityPolicy& policy;
  Notifier& notifier;
  const GeoLocator& geo;
  // Called after a commit that queued mail, to wake the outbox sender.
  std::function<void()> mail_queued = [] {};
};

// Begins a use case's unit of work on the env's store and clock, announcing
// through its notifier, counters and mail sender once committed.
inline UnitOfWork BeginWork(const ServiceEnv& env) {
  return UnitOfWork(env.store, env.clock, Announcer{env.notifier, env.counters, env.mail_queued});
}

}  // namespace twostep::service
