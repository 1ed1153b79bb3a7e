// DeviceDescription: what a client says about itself (SPEC §3 `device`).
#pragma once

#include <string>

namespace twostep::domain {

struct DeviceDescription {
  std::string id;  // install id: 8-64 of [A-Za-z0-9_-]
  std::string name;
  std::string model;
  std::string os;
  std::string app;
  std::string app_version;
};

// True when `id` is 8-64 characters of [A-Za-z0-9_-].
bool IsValidInstallId(const std::string& id);

}  // namespace twostep::domain
