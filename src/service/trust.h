// Marks a device of an account as trusted and returns its new device secret
// (shown once to that device; stored only as a hash).
#pragma once

#include <string>

#include "base/secret.h"
#include "domain/device.h"
#include "ports/store.h"
#include "service/service_env.h"

namespace twostep::service {

Secret TrustDevice(Transaction& tx, const ServiceEnv& env, const std::string& account_id,
                   const domain::DeviceDescription& device, const std::string& ip, Timestamp now);

// Records that `device` was seen now (creating it untrusted when new).
void TouchDevice(Transaction& tx, const std::string& account_id,
                 const domain::DeviceDescription& device, const std::string& ip, Timestamp now);

}  // namespace twostep::service
