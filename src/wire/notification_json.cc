#include "wire/notification_json.h"

#include <boost/json.hpp>

namespace twostep::wire {

namespace json = boost::json;

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

std::string Str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t Int(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

std::optional<double> Num(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v && v->is_double()) return v->as_double();
  if (v && v->is_int64()) return static_cast<double>(v->as_int64());
  return std::nullopt;
}

json::value NumOrNull(const std::optional<double>& v) {
  if (!v) return nullptr;
  return *v;
}

const json::object* Obj(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

template <class Enum, size_t N>
std::optional<Enum> Parse(std::string_view name, const Enum (&all)[N]) {
  for (Enum e : all)
    if (NameOf(e) == name) return e;
  return std::nullopt;
}

constexpr ResolvedOutcome kOutcomes[] = {ResolvedOutcome::kVerified, ResolvedOutcome::kDenied,
                                         ResolvedOutcome::kExpired, ResolvedOutcome::kExhausted,
                                         ResolvedOutcome::kMovedToEmail};
constexpr SignOutReason kReasons[] = {SignOutReason::kDeviceRemoved,
                                      SignOutReason::kPasswordChanged, SignOutReason::kSignedOut,
                                      SignOutReason::kSessionEnded};

json::object EncodeCode(const CodeRequested& n, Audience audience) {
  const auto& d = n.requester;
  json::object device{{"name", d.name}, {"model", d.model}, {"os", d.os},
                      {"app", d.app}, {"app_version", d.app_version}};
  if (audience == Audience::kRelay) device["id"] = d.id;
  json::object o{{"type", "verification_code"},
                 {"challenge_id", n.challenge_id},
                 {"code", std::string(n.code.Reveal())},
                 {"expires_in", n.expires_in.count()},
                 {"requested_at", FormatRfc3339(n.requested_at)},
                 {"requester", json::object{{"device", std::move(device)},
                                            {"ip", n.requester_ip},
                                            {"location", EncodeLocation(n.requester_location)}}}};
  if (audience == Audience::kRelay) {
    o["requested_at_ms"] = ToMillis(n.requested_at);
    o["language"] = n.language;  // the receiving instance's push texts
  }
  return o;
}

std::optional<Notification> DecodeCode(const json::object& o) {
  CodeRequested n;
  n.challenge_id = Str(o, "challenge_id");
  n.code = Secret(Str(o, "code"));
  if (n.code.empty()) return std::nullopt;
  n.expires_in = seconds(Int(o, "expires_in"));
  n.requested_at = FromMillis(Int(o, "requested_at_ms"));
  if (const std::string language = Str(o, "language"); !language.empty()) n.language = language;
  if (auto* r = Obj(o, "requester")) {
    if (auto* d = Obj(*r, "device"))
      n.requester = {Str(*d, "id"), Str(*d, "name"), Str(*d, "model"),
                     Str(*d, "os"), Str(*d, "app"),  Str(*d, "app_version")};
    n.requester_ip = Str(*r, "ip");
    if (auto* l = Obj(*r, "location"))
      n.requester_location = Location{Str(*l, "city"),         Str(*l, "region"),
                                      Str(*l, "country"),      Str(*l, "country_code"),
                                      Num(*l, "latitude"),     Num(*l, "longitude")};
  }
  return n;
}

}  // namespace

json::value EncodeLocation(const std::optional<Location>& l) {
  if (!l) return nullptr;
  return json::object{{"city", l->city},
                      {"region", l->region},
                      {"country", l->country},
                      {"country_code", l->country_code},
                      {"latitude", NumOrNull(l->latitude)},
                      {"longitude", NumOrNull(l->longitude)}};
}

std::string_view TypeName(const Notification& n) {
  return std::visit(Overload{[](const CodeRequested&) { return "verification_code"; },
                             [](const ChallengeResolved&) { return "challenge_resolved"; },
                             [](const SignedOut&) { return "signed_out"; }},
                    n);
}

json::object EncodeNotification(const Notification& n, Audience audience) {
  return std::visit(
      Overload{[&](const CodeRequested& c) { return EncodeCode(c, audience); },
               [](const ChallengeResolved& r) {
                 return json::object{{"type", "challenge_resolved"},
                                     {"challenge_id", r.challenge_id},
                                     {"outcome", NameOf(r.outcome)}};
               },
               [&](const SignedOut& s) {
                 json::object o{{"type", "signed_out"}, {"reason", NameOf(s.reason)}};
                 if (audience == Audience::kRelay) o["family"] = s.family_id;
                 return o;
               }},
      n);
}

std::optional<Notification> DecodeRelayed(const json::object& o) {
  const std::string type = Str(o, "type");
  if (type == "verification_code") return DecodeCode(o);
  if (type == "challenge_resolved") {
    auto outcome = Parse(Str(o, "outcome"), kOutcomes);
    if (!outcome) return std::nullopt;
    return ChallengeResolved{Str(o, "challenge_id"), *outcome};
  }
  if (type == "signed_out") {
    auto reason = Parse(Str(o, "reason"), kReasons);
    if (!reason) return std::nullopt;
    return SignedOut{*reason, Str(o, "family")};
  }
  return std::nullopt;
}

std::string NotificationText(const Notification& n) {
  return json::serialize(EncodeNotification(n));
}

}  // namespace twostep::wire
