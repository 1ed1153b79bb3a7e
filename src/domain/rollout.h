// Gradual rollout (SPEC U15): a feature is available to an account from an
// app when the account's stable bucket (0-99, from a hash of feature +
// account id) is below the app's percentage, or its email is allow-listed.
// Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twostep::domain {

constexpr std::string_view kTwoStepFeature = "two_step";

struct Rollout {
  std::string feature;
  std::string app;
  int percent = 100;               // 0..100
  std::vector<std::string> allow;  // normalised emails
};

// Stable across processes and releases: first 4 bytes of
// SHA-256(feature ":" account_id), big-endian, modulo 100.
int RolloutBucket(std::string_view feature, std::string_view account_id);

bool InRollout(const Rollout& rollout, std::string_view account_id, std::string_view email);

}  // namespace twostep::domain
