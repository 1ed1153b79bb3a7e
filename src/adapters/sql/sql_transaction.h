// SqlTransaction: the Transaction verbs written once for both stores. A
// backend supplies its connection type (SQLite's or libpq's: both offer
// Prepare(sql) → statement with Bind/Step/Run/Changes/Text/Int/IsNull), its
// Queries, and the begin/commit/rollback around them.
// One thread only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>

#include "adapters/sql/key_generation_queries.h"
#include "adapters/sql/push_queries.h"
#include "adapters/sql/queries.h"
#include "adapters/sql/row_codec.h"
#include "ports/store.h"

namespace twostep::sql {

template <class Conn>
class SqlTransaction : public Transaction {
 public:
  std::optional<domain::Account> FindAccountByEmail(const std::string& email) override {
    return One(q_.select_account_by_email, [](auto& st) { return ReadAccount(st); }, email);
  }
  std::optional<domain::Account> FindAccountById(const std::string& id) override {
    return One(q_.select_account_by_id, [](auto& st) { return ReadAccount(st); }, id);
  }
  bool InsertAccount(const domain::Account& account) override {
    auto st = conn_->Prepare(q_.insert_account);
    BindAccount(st, account);
    st.Run();
    return st.Changes() == 1;
  }
  void UpdateAccount(const domain::Account& account) override {
    auto st = conn_->Prepare(q_.update_account);
    BindAccount(st, account);
    st.Run();
  }

  void InsertChallenge(const domain::Challenge& c) override {
    auto st = conn_->Prepare(q_.insert_challenge);
    BindChallenge(st, c);
    st.Run();
  }
  std::optional<domain::Challenge> LockChallenge(const std::string& id) override {
    return One(q_.select_challenge, [](auto& st) { return ReadChallenge(st); }, id);
  }
  void UpdateChallenge(const domain::Challenge& c) override {
    auto st = conn_->Prepare(q_.update_challenge);
    BindChallenge(st, c);
    st.Run();
  }

  void InsertTokenFamily(const domain::TokenFamily& f) override {
    conn_->Prepare(q_.insert_family).Bind(1, f.id).Bind(2, f.account_id).Bind(3, f.device_id)
        .Bind(4, ToMillis(f.created_at)).Bind(5, f.device_secret_hash).Run();
  }
  void InsertAccessToken(const std::string& token_hash, const std::string& family_id,
                         Timestamp expires_at) override {
    conn_->Prepare(q_.insert_access).Bind(1, token_hash).Bind(2, family_id)
        .Bind(3, ToMillis(expires_at)).Run();
  }
  void InsertRefreshToken(const std::string& token_hash, const std::string& family_id,
                          Timestamp expires_at) override {
    conn_->Prepare(q_.insert_refresh).Bind(1, token_hash).Bind(2, family_id)
        .Bind(3, ToMillis(expires_at)).Run();
  }
  std::optional<domain::AccessGrant> FindValidAccess(const std::string& token_hash,
                                                      Timestamp now) override {
    auto st = conn_->Prepare(q_.select_valid_access);
    st.Bind(1, token_hash).Bind(2, ToMillis(now));
    if (!st.Step()) return std::nullopt;
    return domain::AccessGrant{st.Text(0), st.Text(1), st.Text(2), FromMillis(st.Int(3)),
                               st.Text(4)};
  }
  std::optional<domain::RefreshRecord> LockRefreshToken(const std::string& token_hash) override {
    return One(q_.select_refresh, [](auto& st) {
      return domain::RefreshRecord{st.Text(0), st.Text(1), st.Text(2), FromMillis(st.Int(3)),
                                   st.Int(4) != 0, st.Int(5) != 0, st.Text(6)};
    }, token_hash);
  }
  void MarkRefreshUsed(const std::string& token_hash) override {
    conn_->Prepare(q_.mark_refresh_used).Bind(1, token_hash).Run();
  }
  void RevokeFamily(const std::string& family_id, Timestamp now) override {
    conn_->Prepare(q_.revoke_family).Bind(1, family_id).Bind(2, ToMillis(now)).Run();
    conn_->Prepare(kDeleteFamilyPushTokens).Bind(1, family_id).Run();
  }
  std::vector<std::string> LiveFamilies(const std::vector<std::string>& family_ids,
                                        Timestamp now) override {
    std::vector<std::string> live;
    for (const auto& id : family_ids) {
      auto st = conn_->Prepare(q_.family_live);
      st.Bind(1, id).Bind(2, ToMillis(now));
      if (st.Step()) live.push_back(id);
    }
    return live;
  }
  void SetFamilyDeviceSecret(const std::string& family_id,
                             const std::string& secret_hash) override {
    conn_->Prepare(q_.set_family_device_secret).Bind(1, family_id).Bind(2, secret_hash).Run();
  }
  std::vector<std::string> RevokeAccountFamilies(const std::string& account_id,
                                                 const std::string& keep_family_id,
                                                 Timestamp now) override {
    auto st = conn_->Prepare(q_.revoke_account_families);
    st.Bind(1, account_id).Bind(2, keep_family_id).Bind(3, ToMillis(now));
    std::vector<std::string> devices;
    while (st.Step()) {
      auto d = st.Text(0);
      if (std::find(devices.begin(), devices.end(), d) == devices.end()) devices.push_back(d);
    }
    conn_->Prepare(kDeleteOtherFamiliesPushTokens).Bind(1, account_id).Bind(2, keep_family_id).Run();
    return devices;
  }
  void RevokeDeviceFamilies(const std::string& account_id, const std::string& device_id,
                            Timestamp now) override {
    conn_->Prepare(q_.revoke_device_families).Bind(1, account_id).Bind(2, device_id)
        .Bind(3, ToMillis(now)).Run();
    DeletePushToken(account_id, device_id);
  }

  std::optional<domain::DeviceRecord> FindDevice(const std::string& account_id,
                                                 const std::string& device_id) override {
    auto st = conn_->Prepare(q_.select_device);
    st.Bind(1, account_id).Bind(2, device_id);
    if (!st.Step()) return std::nullopt;
    return ReadDevice(st);
  }
  void TouchDevice(const std::string& account_id, const domain::DeviceDescription& device,
                   const std::string& ip, Timestamp now) override {
    auto st = conn_->Prepare(q_.touch_device);
    BindDeviceSeen(st, account_id, device, ip, now);
    st.Run();
  }
  bool TouchTrustedDevice(const std::string& account_id, const domain::DeviceDescription& device,
                          const std::string& ip, Timestamp now,
                          const std::string& secret_hash) override {
    auto st = conn_->Prepare(q_.touch_trusted_device);
    BindDeviceSeen(st, account_id, device, ip, now);
    st.Bind(10, secret_hash);
    return st.Step();
  }
  void TrustDevice(const std::string& account_id, const domain::DeviceDescription& device,
                   const std::string& ip, Timestamp now, const std::string& secret_hash) override {
    auto st = conn_->Prepare(q_.trust_device);
    BindDeviceSeen(st, account_id, device, ip, now);
    st.Bind(10, secret_hash);
    st.Run();
  }
  bool UntrustDevice(const std::string& account_id, const std::string& device_id,
                     const std::string& secret_hash) override {
    auto st = conn_->Prepare(q_.untrust_device);
    st.Bind(1, account_id).Bind(2, device_id).Bind(3, secret_hash);
    return st.Step();
  }
  void MarkDeviceSeen(const std::string& account_id, const std::string& device_id,
                      Timestamp now) override {
    conn_->Prepare(q_.mark_device_seen).Bind(1, account_id).Bind(2, device_id)
        .Bind(3, ToMillis(now)).Run();
  }
  std::vector<domain::DeviceRecord> ListTrustedDevices(const std::string& account_id) override {
    auto st = conn_->Prepare(q_.select_trusted_devices);
    st.Bind(1, account_id);
    std::vector<domain::DeviceRecord> out;
    while (st.Step()) out.push_back(ReadDevice(st));
    return out;
  }
  int CountDevices(const std::string& account_id) override {
    auto st = conn_->Prepare(q_.count_devices);
    st.Bind(1, account_id);
    return st.Step() ? static_cast<int>(st.Int(0)) : 0;
  }
  std::vector<domain::Challenge> OpenChallenges(const std::string& account_id,
                                                domain::ChallengePurpose purpose,
                                                Timestamp now) override {
    return ReadChallenges(q_.select_open_challenges, account_id, purpose, now);
  }
  std::vector<domain::Challenge> ChallengesAliveAt(const std::string& account_id,
                                                   domain::ChallengePurpose purpose,
                                                   Timestamp at) override {
    return ReadChallenges(q_.select_challenges_alive_at, account_id, purpose, at);
  }

  void PutPushToken(const domain::PushRegistration& r) override {
    const std::string provider(domain::PushProviderName(r.provider));
    conn_->Prepare(kDeletePushTokenElsewhere).Bind(1, provider).Bind(2, r.token)
        .Bind(3, r.account_id).Bind(4, r.device_id).Run();
    conn_->Prepare(kUpsertPushToken).Bind(1, r.account_id).Bind(2, r.device_id)
        .Bind(3, r.family_id).Bind(4, r.app).Bind(5, provider).Bind(6, r.token)
        .Bind(7, int64_t{r.also_when_live ? 1 : 0}).Bind(8, ToMillis(r.registered_at)).Run();
  }
  void DeletePushToken(const std::string& account_id, const std::string& device_id) override {
    conn_->Prepare(kDeletePushToken).Bind(1, account_id).Bind(2, device_id).Run();
  }
  std::optional<domain::PushRegistration> FindPushTarget(const std::string& account_id,
                                                         const std::string& device_id) override {
    auto st = conn_->Prepare(kSelectPushTarget);
    st.Bind(1, account_id).Bind(2, device_id);
    if (!st.Step()) return std::nullopt;
    auto provider = domain::ParsePushProvider(st.Text(2));
    if (!provider) return std::nullopt;
    return domain::PushRegistration{account_id,   device_id,    st.Text(0),
                                    st.Text(1),   *provider,    st.Text(3),
                                    st.Int(4) != 0, FromMillis(st.Int(5))};
  }
  void ForgetPushToken(domain::PushProvider provider, const std::string& token) override {
    conn_->Prepare(kForgetPushToken).Bind(1, std::string(domain::PushProviderName(provider)))
        .Bind(2, token).Run();
  }

  void InsertKeyGeneration(const StoredKeyGeneration& g) override {
    conn_->Prepare(kInsertKeyGeneration).Bind(1, g.id).Bind(2, g.sealed)
        .Bind(3, ToMillis(g.created_at)).Run();
  }
  std::vector<StoredKeyGeneration> ListKeyGenerations() override {
    std::vector<StoredKeyGeneration> out;
    auto st = conn_->Prepare(kListKeyGenerations);
    while (st.Step()) out.push_back({st.Text(0), st.Text(1), FromMillis(st.Int(2))});
    return out;
  }
  void DeleteKeyGeneration(const std::string& id) override {
    conn_->Prepare(kDeleteKeyGeneration).Bind(1, id).Run();
  }

  std::optional<domain::Rollout> FindRollout(const std::string& feature,
                                             const std::string& app) override {
    auto st = conn_->Prepare(q_.select_rollout);
    st.Bind(1, feature).Bind(2, app);
    if (!st.Step()) return std::nullopt;
    return domain::Rollout{feature, app, static_cast<int>(st.Int(0)), SplitLines(st.Text(1))};
  }
  void PutRollout(const domain::Rollout& r) override {
    conn_->Prepare(q_.upsert_rollout).Bind(1, r.feature).Bind(2, r.app)
        .Bind(3, int64_t{r.percent}).Bind(4, JoinLines(r.allow)).Run();
  }

  domain::WindowCount CountHits(const std::string& key, Timestamp since) override {
    if (q_.lock_key) conn_->Prepare(q_.lock_key).Bind(1, key).Run();
    auto st = conn_->Prepare(q_.count_hits);
    st.Bind(1, key).Bind(2, ToMillis(since));
    domain::WindowCount wc;
    if (st.Step()) {
      wc.hits = static_cast<int>(st.Int(0));
      if (!st.IsNull(1)) wc.oldest = FromMillis(st.Int(1));
    }
    return wc;
  }
  void RecordHit(const std::string& key, Timestamp at) override {
    conn_->Prepare(q_.insert_hit).Bind(1, key).Bind(2, ToMillis(at)).Run();
  }
  void ClearHits(const std::string& key) override {
    conn_->Prepare(q_.delete_hits).Bind(1, key).Run();
  }
  void RemoveHit(const std::string& key, Timestamp at) override {
    conn_->Prepare(q_.delete_one_hit).Bind(1, key).Bind(2, ToMillis(at)).Run();
  }

  void EnqueueMail(const MailMessage& m, Timestamp now) override {
    conn_->Prepare(q_.insert_mail).Bind(1, m.to).Bind(2, m.subject).Bind(3, m.text)
        .Bind(4, m.html).Bind(5, ToMillis(now)).Bind(6, m.challenge_id)
        .Bind(7, m.language).Run();
  }
  void AppendLoginEvent(const LoginEvent& e) override {
    auto st = conn_->Prepare(q_.insert_event);
    BindLoginEvent(st, e);
    st.Run();
  }
  std::vector<LoginEvent> ListLoginEvents(const std::string& account_id, int64_t before_id,
                                          int limit) override {
    auto st = conn_->Prepare(q_.select_events);
    st.Bind(1, account_id).Bind(2, before_id > 0 ? before_id : INT64_MAX)
        .Bind(3, int64_t{limit});
    std::vector<LoginEvent> out;
    while (st.Step()) out.push_back(ReadLoginEvent(st));
    return out;
  }

 protected:
  SqlTransaction(const Queries& queries, std::unique_ptr<Conn> conn)
      : q_(queries), conn_(std::move(conn)) {}

  const Queries& q_;
  std::unique_ptr<Conn> conn_;

 private:
  // The row a one-key read finds, decoded by `read`.
  template <class Read>
  auto One(const char* sql, Read read, const std::string& key)
      -> std::optional<decltype(read(std::declval<decltype(conn_->Prepare(sql))&>()))> {
    auto st = conn_->Prepare(sql);
    st.Bind(1, key);
    if (!st.Step()) return std::nullopt;
    return read(st);
  }
  std::vector<domain::Challenge> ReadChallenges(const char* sql, const std::string& account_id,
                                                domain::ChallengePurpose purpose, Timestamp t) {
    auto st = conn_->Prepare(sql);
    st.Bind(1, account_id).Bind(2, domain::PurposeName(purpose)).Bind(3, ToMillis(t));
    std::vector<domain::Challenge> out;
    while (st.Step()) out.push_back(ReadChallenge(st));
    return out;
  }
};

}  // namespace twostep::sql
