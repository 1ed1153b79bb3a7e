// `twostepd keys rotate [--config FILE]` (issue #22): makes a new generation
// of the code keys (the code HMAC key and the seal key) in the store,
// sealed under the key file's pair, and keeps the previous ones; deletes
// generations replaced more than two days ago (every code they made has
// expired). Running instances start making codes with it at their next
// reload (SIGHUP, `systemctl reload twostepd`); until then they make codes
// with the previous generation, and every instance checks the codes of
// both (app/key_ring.h), so no open challenge breaks in any order.
#pragma once

#include <ostream>

#include "app/config.h"

namespace twostep::app {

// Returns the exit code; prints the new generation's id (public) and what
// to do next on `out`. Throws on a store or key-file failure.
int RotateKeys(const Config& config, std::ostream& out);

}  // namespace twostep::app
