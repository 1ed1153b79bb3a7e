#include "domain/device.h"

namespace twostep::domain {

bool IsValidInstallId(const std::string& id) {
  if (id.size() < 8 || id.size() > 64) return false;
  for (char ch : id) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace twostep::domain
