// Secret: a string that must never be logged (password, code, token). It has
// no operator<<, is wiped with sodium_memzero when destroyed, and compares in
// constant time. Read it explicitly with Reveal() where it is really needed.
#pragma once

#include <string>
#include <string_view>

namespace twostep {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret() { Wipe(); }

  std::string_view Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }
  // Constant-time equality (length may leak, contents do not).
  bool Equals(std::string_view other) const;

 private:
  void Wipe() noexcept;
  std::string value_;
};

}  // namespace twostep
