#include "domain/push_token.h"

#include <algorithm>

namespace twostep::domain {

std::string_view PushProviderName(PushProvider p) {
  return p == PushProvider::kApns ? "apns" : "fcm";
}

std::optional<PushProvider> ParsePushProvider(std::string_view name) {
  if (name == "fcm") return PushProvider::kFcm;
  if (name == "apns") return PushProvider::kApns;
  return std::nullopt;
}

bool IsValidPushToken(PushProvider provider, std::string_view token) {
  auto all = [&](auto pred) { return std::all_of(token.begin(), token.end(), pred); };
  if (provider == PushProvider::kApns) {
    return token.size() >= 64 && token.size() <= 200 && token.size() % 2 == 0 &&
           all([](char ch) {
             return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
           });
  }
  return !token.empty() && token.size() <= 1024 && all([](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch == '_' || ch == ':' || ch == '.' || ch == '-';
  });
}

}  // namespace twostep::domain
