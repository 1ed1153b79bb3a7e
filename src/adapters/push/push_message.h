// What a mobile push says (SPEC §4 "Push"): a wake-up with a non-secret
// summary and the challenge id, never the code. Built from a Notification
// the moment it reaches the push providers, so the code never enters their
// queues. The app reads the code over its own authenticated channel
// (/v1/notifications/pending or the WebSocket). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "ports/notifier.h"

namespace twostep::push {

struct PushMessage {
  enum class Kind {
    kSignInRequest,  // a new code request or a resend: a visible alert
    kResolved,       // challenge_resolved: a silent push that clears the alert
  };
  Kind kind = Kind::kSignInRequest;
  std::string challenge_id;
  std::string title;    // kSignInRequest: "Sign-in request", in the account's language
  std::string body;     // "Sign-in request from Pixel 8 near Prague"
  std::string outcome;  // kResolved: verified | denied | expired | exhausted
  // Past this the push is pointless (the challenge ended): the providers
  // are told to drop it, and retries stop.
  Timestamp expires_at;
};

// How long a resolved push is worth retrying (the alert it clears may have
// been delivered late).
inline constexpr seconds kResolvedPushLifetime{600};

// The push for `n`, or nullopt for messages that are not pushed
// (signed_out: the app learns it at its next request). `now` dates the
// resolved push's lifetime.
std::optional<PushMessage> PushMessageOf(const Notification& n, Timestamp now);

// "Sign-in request from {device} near {place}" in `lang` (mail.json's
// mail.push.*); "near {place}" only when the IP has a known location: city,
// else region, else country.
std::string SignInSummary(std::string_view lang, const std::string& device_name,
                          const std::optional<Location>& where);

}  // namespace twostep::push
