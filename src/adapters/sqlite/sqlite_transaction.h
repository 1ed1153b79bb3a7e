// SqliteTransaction: one BEGIN ... COMMIT on a pooled connection, inside the
// store's gate (one transaction of this process at a time).
// Rolled back in the destructor unless committed. One thread only.
#pragma once

#include <memory>
#include <mutex>

#include "ports/store.h"

namespace twostep::sqlite {

class Connection;
class SqliteStore;

class SqliteTransaction : public Transaction {
 public:
  // Holds the store's gate until it commits or rolls back.
  SqliteTransaction(SqliteStore& store, std::unique_ptr<Connection> conn,
                    std::unique_lock<std::timed_mutex> gate);
  ~SqliteTransaction() override;

  void Commit() override;

  std::optional<domain::Account> FindAccountByEmail(const std::string& email) override;
  std::optional<domain::Account> FindAccountById(const std::string& id) override;
  bool InsertAccount(const domain::Account& account) override;
  void UpdateAccount(const domain::Account& account) override;

  void InsertChallenge(const domain::Challenge& c) override;
  std::optional<domain::Challenge> LockChallenge(const std::string& id) override;
  void UpdateChallenge(const domain::Challenge& c) override;

  void InsertTokenFamily(const domain::TokenFamily& family) override;
  void InsertAccessToken(const std::string& token_hash, const std::string& family_id,
                         Timestamp expires_at) override;
  void InsertRefreshToken(const std::string& token_hash, const std::string& family_id,
                          Timestamp expires_at) override;
  std::optional<domain::AccessGrant> FindValidAccess(const std::string& token_hash,
                                                      Timestamp now) override;
  std::optional<domain::RefreshRecord> LockRefreshToken(const std::string& token_hash) override;
  void MarkRefreshUsed(const std::string& token_hash) override;
  void RevokeFamily(const std::string& family_id, Timestamp now) override;
  std::vector<std::string> RevokeAccountFamilies(const std::string& account_id,
                                                 const std::string& keep_family_id,
                                                 Timestamp now) override;
  void RevokeDeviceFamilies(const std::string& account_id, const std::string& device_id,
                            Timestamp now) override;

  std::optional<domain::DeviceRecord> FindDevice(const std::string& account_id,
                                                 const std::string& device_id) override;
  void UpsertDevice(const domain::DeviceRecord& device) override;
  std::vector<domain::DeviceRecord> ListTrustedDevices(const std::string& account_id) override;
  int CountDevices(const std::string& account_id) override;
  std::vector<domain::Challenge> OpenChallenges(const std::string& account_id,
                                                domain::ChallengePurpose purpose,
                                                Timestamp now) override;
  std::optional<domain::Rollout> FindRollout(const std::string& feature,
                                             const std::string& app) override;
  void PutRollout(const domain::Rollout& rollout) override;

  domain::WindowCount CountHits(const std::string& key, Timestamp since) override;
  void RecordHit(const std::string& key, Timestamp at) override;
  void ClearHits(const std::string& key) override;

  void EnqueueMail(const MailMessage& message, Timestamp now) override;
  void AppendLoginEvent(const LoginEvent& event) override;
  std::vector<LoginEvent> ListLoginEvents(const std::string& account_id, int64_t before_id,
                                          int limit) override;

 private:
  SqliteStore& store_;
  std::unique_ptr<Connection> conn_;
  std::unique_lock<std::timed_mutex> gate_;
  bool done_ = false;
};

}  // namespace twostep::sqlite
