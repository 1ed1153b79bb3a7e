// The Store-level verbs (mail outbox, housekeeping) written once for both
// stores; each runs inside the transaction its store opens around it.
#pragma once

#include <optional>
#include <vector>

#include "adapters/sql/queries.h"
#include "adapters/sql/row_codec.h"
#include "ports/store.h"

namespace twostep::sql {

template <class Conn>
std::vector<OutboxItem> ClaimDueMail(Conn& c, const Queries& q, Timestamp now,
                                     Timestamp lease_until, int limit) {
  std::vector<OutboxItem> items;
  {
    auto st = c.Prepare(q.select_due_mail);
    st.Bind(1, ToMillis(now)).Bind(2, int64_t{limit});
    while (st.Step()) {
      OutboxItem it;
      it.id = st.Int(0);
      it.message = {st.Text(1), st.Text(2), st.Text(3), st.Text(4)};
      it.created_at = FromMillis(st.Int(5));
      it.attempts = static_cast<int>(st.Int(6));
      it.app = st.Text(7);
      it.message.language = st.Text(8);
      items.push_back(std::move(it));
    }
  }
  for (const auto& it : items)
    c.Prepare(q.lease_mail).Bind(1, it.id).Bind(2, ToMillis(lease_until)).Run();
  return items;
}

// Deletes a message; its recipient address, or "" when it was gone.
template <class Conn>
std::string DeleteMail(Conn& c, const Queries& q, int64_t id) {
  auto st = c.Prepare(q.delete_mail);
  st.Bind(1, id);
  return st.Step() ? st.Text(0) : std::string();
}

template <class Conn>
void MarkMailSent(Conn& c, const Queries& q, int64_t id) {
  const std::string to = DeleteMail(c, q, id);
  if (!to.empty()) c.Prepare(q.mark_deliverable).Bind(1, to).Run();
}

template <class Conn>
void MarkMailRejected(Conn& c, const Queries& q, int64_t id, Timestamp now) {
  const std::string to = DeleteMail(c, q, id);
  if (!to.empty()) c.Prepare(q.mark_undeliverable).Bind(1, to).Bind(2, ToMillis(now)).Run();
}

template <class Conn>
void MarkMailFailed(Conn& c, const Queries& q, int64_t id, int attempts, Timestamp next_attempt_at) {
  c.Prepare(q.fail_mail).Bind(1, id).Bind(2, int64_t{attempts})
      .Bind(3, ToMillis(next_attempt_at)).Run();
}

template <class Conn>
std::optional<Timestamp> NextMailDue(Conn& c, const Queries& q) {
  auto st = c.Prepare(q.next_due);
  if (st.Step() && !st.IsNull(0)) return FromMillis(st.Int(0));
  return std::nullopt;
}

template <class Conn>
OutboxBacklog MailBacklog(Conn& c, const Queries& q) {
  auto st = c.Prepare(q.mail_backlog);
  OutboxBacklog b;
  if (st.Step()) {
    b.pending = st.Int(0);
    if (!st.IsNull(1)) b.oldest_created_at = FromMillis(st.Int(1));
  }
  return b;
}

template <class Conn>
int DropStaleCodeMail(Conn& c, const Queries& q, Timestamp now) {
  auto st = c.Prepare(q.drop_stale_code_mail);
  st.Bind(1, ToMillis(now)).Run();
  return st.Changes();
}

template <class Conn>
void Prune(Conn& c, const Queries& q, const Store::PruneCutoffs& before) {
  c.Prepare(q.prune_hits).Bind(1, ToMillis(before.hits)).Run();
  c.Prepare(q.prune_events).Bind(1, ToMillis(before.events)).Run();
  c.Prepare(q.prune_challenges).Bind(1, ToMillis(before.challenges)).Run();
  c.Prepare(q.prune_unverified).Bind(1, ToMillis(before.unverified_accounts))
      .Bind(2, ToMillis(before.now)).Run();
  c.Prepare(q.wipe_sealed).Bind(1, ToMillis(before.now)).Run();
  c.Prepare(q.prune_families).Bind(1, ToMillis(before.sessions)).Bind(2, ToMillis(before.now)).Run();
  c.Prepare(q.prune_access_tokens).Bind(1, ToMillis(before.now)).Run();
  c.Prepare(q.prune_refresh_tokens).Bind(1, ToMillis(before.now)).Run();
}

// Store::ReadSecurityFacts: one statement, so one snapshot even outside a
// transaction.
template <class Conn>
std::optional<SecurityFacts> ReadSecurityFacts(Conn& c, const Queries& q,
                                               const std::string& token_hash, Timestamp now,
                                               const std::string& feature) {
  auto st = c.Prepare(q.select_security_facts);
  st.Bind(1, token_hash).Bind(2, ToMillis(now)).Bind(3, feature);
  std::optional<SecurityFacts> out;
  while (st.Step()) {
    if (!out) {
      out.emplace();
      out->grant = {st.Text(0), st.Text(1), st.Text(2), FromMillis(st.Int(3)), st.Text(4)};
      out->account = ReadAccount(ColumnsFrom<decltype(st)>{st, 5});
      out->caller_app = st.Text(19);
      if (!st.IsNull(20))
        out->rollout = domain::Rollout{feature, out->caller_app, static_cast<int>(st.Int(20)),
                                       SplitLines(st.Text(21))};
    }
    if (!st.IsNull(22)) out->trusted_devices.push_back(ReadDevice(ColumnsFrom<decltype(st)>{st, 22}));
  }
  return out;
}

}  // namespace twostep::sql
