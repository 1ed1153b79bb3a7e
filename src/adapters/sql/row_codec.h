// How the domain records map to table rows, shared by the SQLite and the
// PostgreSQL stores: both statement classes offer the same small interface
// (Bind(index, value), BindNull(index), Text(col), Int(col), IsNull(col)), so
// one template serves both and the column order is written down once.
// Times are integer milliseconds since the Unix epoch (UTC); flags are 0/1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/account.h"
#include "domain/challenge.h"
#include "domain/device.h"
#include "domain/login_event.h"
#include "ports/store.h"

namespace twostep::sql {

// The columns of `row` from `first` on, numbered from 0: one statement that
// joins several records reads each with its own codec below.
template <class Row>
struct ColumnsFrom {
  const Row& row;
  int first;
  std::string Text(int col) const { return row.Text(first + col); }
  int64_t Int(int col) const { return row.Int(first + col); }
  bool IsNull(int col) const { return row.IsNull(first + col); }
};

// Columns: id, email, password_hash, email_verified, created_at,
// password_changed_at, registered_app, two_step_enabled,
// two_step_email_verified, wrong_code_streak, challenges_blocked_until,
// email_undeliverable_since, locale, time_zone.
template <class Row>
domain::Account ReadAccount(const Row& st) {
  domain::Account a;
  a.id = st.Text(0);
  a.email = st.Text(1);
  a.password_hash = st.Text(2);
  a.email_verified = st.Int(3) != 0;
  a.created_at = FromMillis(st.Int(4));
  a.password_changed_at = FromMillis(st.Int(5));
  a.registered_app = st.Text(6);
  a.two_step_enabled = st.Int(7) != 0;
  a.two_step_email_verified = st.Int(8) != 0;
  a.wrong_code_streak = static_cast<int>(st.Int(9));
  if (!st.IsNull(10)) a.challenges_blocked_until = FromMillis(st.Int(10));
  if (!st.IsNull(11)) a.email_undeliverable_since = FromMillis(st.Int(11));
  a.locale = st.Text(12);
  a.time_zone = st.Text(13);
  return a;
}

template <class Statement>
void BindAccount(Statement& st, const domain::Account& a) {
  st.Bind(1, a.id).Bind(2, a.email).Bind(3, a.password_hash)
      .Bind(4, int64_t{a.email_verified}).Bind(5, ToMillis(a.created_at))
      .Bind(6, ToMillis(a.password_changed_at)).Bind(7, a.registered_app)
      .Bind(8, int64_t{a.two_step_enabled}).Bind(9, int64_t{a.two_step_email_verified})
      .Bind(10, int64_t{a.wrong_code_streak});
  if (a.challenges_blocked_until) st.Bind(11, ToMillis(*a.challenges_blocked_until));
  else st.BindNull(11);
  if (a.email_undeliverable_since) st.Bind(12, ToMillis(*a.email_undeliverable_since));
  else st.BindNull(12);
  st.Bind(13, a.locale).Bind(14, a.time_zone);
}

// Columns: id, account_id, purpose, method, state, code_hash, sealed_code,
// attempts_left, sends, created_at, expires_at, last_sent_at, req_device_id,
// req_name, req_model, req_os, req_app, req_app_version, req_ip,
// password_hash, email, app, switched_to_email, key_id, locale, time_zone.
template <class Statement>
void BindChallenge(Statement& st, const domain::Challenge& c) {
  st.Bind(1, c.id);
  if (c.account_id.empty()) st.BindNull(2); else st.Bind(2, c.account_id);
  st.Bind(3, domain::PurposeName(c.purpose)).Bind(4, domain::MethodName(c.method))
      .Bind(5, domain::StateName(c.state)).Bind(6, c.code_hash).Bind(7, c.sealed_code)
      .Bind(8, int64_t{c.attempts_left}).Bind(9, int64_t{c.sends})
      .Bind(10, ToMillis(c.created_at)).Bind(11, ToMillis(c.expires_at))
      .Bind(12, ToMillis(c.last_sent_at)).Bind(13, c.requester.id).Bind(14, c.requester.name)
      .Bind(15, c.requester.model).Bind(16, c.requester.os).Bind(17, c.requester.app)
      .Bind(18, c.requester.app_version).Bind(19, c.requester_ip).Bind(20, c.password_hash)
      .Bind(21, c.email).Bind(22, c.app).Bind(23, int64_t{c.switched_to_email})
      .Bind(24, c.key_id).Bind(25, c.locale).Bind(26, c.time_zone);
}

template <class Row>
domain::Challenge ReadChallenge(const Row& st) {
  domain::Challenge c;
  c.id = st.Text(0);
  c.account_id = st.Text(1);
  c.purpose = domain::ParsePurpose(st.Text(2)).value_or(domain::ChallengePurpose::kRegistration);
  c.method = domain::ParseMethod(st.Text(3)).value_or(domain::ChallengeMethod::kEmail);
  // An unreadable state is treated as expired: fail closed.
  c.state = domain::ParseState(st.Text(4)).value_or(domain::ChallengeState::kExpired);
  c.code_hash = st.Text(5);
  c.sealed_code = st.Text(6);
  c.attempts_left = static_cast<int>(st.Int(7));
  c.sends = static_cast<int>(st.Int(8));
  c.created_at = FromMillis(st.Int(9));
  c.expires_at = FromMillis(st.Int(10));
  c.last_sent_at = FromMillis(st.Int(11));
  c.requester = {st.Text(12), st.Text(13), st.Text(14), st.Text(15), st.Text(16), st.Text(17)};
  c.requester_ip = st.Text(18);
  c.password_hash = st.Text(19);
  c.email = st.Text(20);
  c.app = st.Text(21);
  c.switched_to_email = st.Int(22) != 0;
  c.key_id = st.Text(23);
  c.locale = st.Text(24);
  c.time_zone = st.Text(25);
  return c;
}

// Columns: account_id, device_id, name, model, os, app, app_version,
// first_seen_at, last_seen_at, last_ip, trusted, secret_hash, trusted_at.
template <class Row>
domain::DeviceRecord ReadDevice(const Row& st) {
  domain::DeviceRecord d;
  d.account_id = st.Text(0);
  d.description = {st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6)};
  d.first_seen_at = FromMillis(st.Int(7));
  d.last_seen_at = FromMillis(st.Int(8));
  d.last_ip = st.Text(9);
  d.trusted = st.Int(10) != 0;
  d.secret_hash = st.Text(11);
  if (!st.IsNull(12)) d.trusted_at = FromMillis(st.Int(12));
  return d;
}

// Columns of a "seen" write: account_id, device_id, name, model, os, app,
// app_version, seen at (first_seen_at of a new row, last_seen_at), last_ip.
template <class Statement>
void BindDeviceSeen(Statement& st, const std::string& account_id,
                    const domain::DeviceDescription& d, const std::string& ip, Timestamp now) {
  st.Bind(1, account_id).Bind(2, d.id).Bind(3, d.name).Bind(4, d.model).Bind(5, d.os)
      .Bind(6, d.app).Bind(7, d.app_version).Bind(8, ToMillis(now)).Bind(9, ip);
}

// Columns: account_id, at, event, outcome, device_id, device_name,
// device_model, device_os, app, app_version, ip, trusted, method.
template <class Statement>
void BindLoginEvent(Statement& st, const LoginEvent& e) {
  st.Bind(1, e.account_id).Bind(2, ToMillis(e.at)).Bind(3, domain::NameOf(e.kind))
      .Bind(4, domain::NameOf(e.outcome))
      .Bind(5, e.device.id).Bind(6, e.device.name).Bind(7, e.device.model).Bind(8, e.device.os)
      .Bind(9, e.device.app).Bind(10, e.device.app_version).Bind(11, e.ip)
      .Bind(12, int64_t{e.trusted}).Bind(13, domain::NameOf(e.method));
}

// Columns: id, then the columns of BindLoginEvent.
template <class Row>
LoginEvent ReadLoginEvent(const Row& st) {
  LoginEvent e;
  e.id = st.Int(0);
  e.account_id = st.Text(1);
  e.at = FromMillis(st.Int(2));
  // Every name ever written has its enum; a row that says otherwise reads
  // as a failure, the cautious word to show the owner.
  e.kind = domain::ParseLoginEventKind(st.Text(3)).value_or(domain::LoginEventKind::kSignIn);
  e.outcome = domain::ParseLoginOutcome(st.Text(4)).value_or(domain::LoginOutcome::kFailed);
  e.device = {st.Text(5), st.Text(6), st.Text(7), st.Text(8), st.Text(9), st.Text(10)};
  e.ip = st.Text(11);
  e.trusted = st.Int(12) != 0;
  e.method = domain::ParseLoginMethod(st.Text(13)).value_or(domain::LoginMethod::kNone);
  return e;
}

// The rollout allow-list is stored as one text of lines.
inline std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& e : items) out += e + "\n";
  return out;
}

inline std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  for (size_t s = 0; s < text.size();) {
    size_t nl = text.find('\n', s);
    if (nl == std::string::npos) nl = text.size();
    if (nl > s) out.push_back(text.substr(s, nl - s));
    s = nl + 1;
  }
  return out;
}

}  // namespace twostep::sql
