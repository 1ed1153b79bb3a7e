#include "base/secret.h"

#include <sodium.h>

namespace twostep {

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    Wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    Wipe();
    value_ = std::move(other.value_);
    other.Wipe();
  }
  return *this;
}

bool Secret::Equals(std::string_view other) const {
  if (other.size() != value_.size()) return false;
  if (value_.empty()) return true;
  return sodium_memcmp(value_.data(), other.data(), value_.size()) == 0;
}

void Secret::Wipe() noexcept {
  if (!value_.empty()) sodium_memzero(value_.data(), value_.size());
  value_.clear();
}

}  // namespace twostep
