#include "testing/faulty_store.h"

namespace twostep::testing {

namespace {

// Counts (and may fail) every verb before it reaches the real transaction.
class FaultyTransaction : public Transaction {
 public:
  FaultyTransaction(FaultyStore& store, std::unique_ptr<Transaction> target)
      : store_(store), target_(std::move(target)) {}
  void Commit() override {
    store_.Tick("Commit");
    return target_->Commit();
  }
  std::optional<domain::Account> FindAccountByEmail(const std::string& email) override {
    store_.Tick("FindAccountByEmail");
    return target_->FindAccountByEmail(email);
  }
  std::optional<domain::Account> FindAccountById(const std::string& id) override {
    store_.Tick("FindAccountById");
    return target_->FindAccountById(id);
  }
  bool InsertAccount(const domain::Account& account) override {
    store_.Tick("InsertAccount");
    return target_->InsertAccount(account);
  }
  void UpdateAccount(const domain::Account& account) override {
    store_.Tick("UpdateAccount");
    return target_->UpdateAccount(account);
  }
  void InsertChallenge(const domain::Challenge& c) override {
    store_.Tick("InsertChallenge");
    return target_->InsertChallenge(c);
  }
  std::optional<domain::Challenge> LockChallenge(const std::string& id) override {
    store_.Tick("LockChallenge");
    return target_->LockChallenge(id);
  }
  void UpdateChallenge(const domain::Challenge& c) override {
    store_.Tick("UpdateChallenge");
    return target_->UpdateChallenge(c);
  }
  void InsertTokenFamily(const domain::TokenFamily& family) override {
    store_.Tick("InsertTokenFamily");
    return target_->InsertTokenFamily(family);
  }
  void InsertAccessToken(const std::string& token_hash, const std::string& family_id, Timestamp expires_at) override {
    store_.Tick("InsertAccessToken");
    return target_->InsertAccessToken(token_hash, family_id, expires_at);
  }
  void InsertRefreshToken(const std::string& token_hash, const std::string& family_id, Timestamp expires_at) override {
    store_.Tick("InsertRefreshToken");
    return target_->InsertRefreshToken(token_hash, family_id, expires_at);
  }
  std::optional<domain::AccessGrant> FindValidAccess(const std::string& token_hash, Timestamp now) override {
    store_.Tick("FindValidAccess");
    return target_->FindValidAccess(token_hash, now);
  }
  std::optional<domain::RefreshRecord> LockRefreshToken(const std::string& token_hash) override {
    store_.Tick("LockRefreshToken");
    return target_->LockRefreshToken(token_hash);
  }
  void MarkRefreshUsed(const std::string& token_hash) override {
    store_.Tick("MarkRefreshUsed");
    return target_->MarkRefreshUsed(token_hash);
  }
  void RevokeFamily(const std::string& family_id, Timestamp now) override {
    store_.Tick("RevokeFamily");
    return target_->RevokeFamily(family_id, now);
  }
  void SetFamilyDeviceSecret(const std::string& family_id, const std::string& secret_hash) override {
    store_.Tick("SetFamilyDeviceSecret");
    return target_->SetFamilyDeviceSecret(family_id, secret_hash);
  }
  std::vector<std::string> RevokeAccountFamilies(const std::string& account_id, const std::string& keep_family_id, Timestamp now) override {
    store_.Tick("RevokeAccountFamilies");
    return target_->RevokeAccountFamilies(account_id, keep_family_id, now);
  }
  std::vector<std::string> LiveFamilies(const std::vector<std::string>& family_ids, Timestamp now) override {
    store_.Tick("LiveFamilies");
    return target_->LiveFamilies(family_ids, now);
  }
  void RevokeDeviceFamilies(const std::string& account_id, const std::string& device_id, Timestamp now) override {
    store_.Tick("RevokeDeviceFamilies");
    return target_->RevokeDeviceFamilies(account_id, device_id, now);
  }
  std::optional<domain::DeviceRecord> FindDevice(const std::string& account_id, const std::string& device_id) override {
    store_.Tick("FindDevice");
    return target_->FindDevice(account_id, device_id);
  }
  void TouchDevice(const std::string& account_id, const domain::DeviceDescription& device, const std::string& ip, Timestamp now) override {
    store_.Tick("TouchDevice");
    return target_->TouchDevice(account_id, device, ip, now);
  }
  bool TouchTrustedDevice(const std::string& account_id, const domain::DeviceDescription& device, const std::string& ip, Timestamp now, const std::string& secret_hash) override {
    store_.Tick("TouchTrustedDevice");
    return target_->TouchTrustedDevice(account_id, device, ip, now, secret_hash);
  }
  void TrustDevice(const std::string& account_id, const domain::DeviceDescription& device, const std::string& ip, Timestamp now, const std::string& secret_hash) override {
    store_.Tick("TrustDevice");
    return target_->TrustDevice(account_id, device, ip, now, secret_hash);
  }
  bool UntrustDevice(const std::string& account_id, const std::string& device_id, const std::string& secret_hash) override {
    store_.Tick("UntrustDevice");
    return target_->UntrustDevice(account_id, device_id, secret_hash);
  }
  void MarkDeviceSeen(const std::string& account_id, const std::string& device_id, Timestamp now) override {
    store_.Tick("MarkDeviceSeen");
    return target_->MarkDeviceSeen(account_id, device_id, now);
  }
  std::vector<domain::DeviceRecord> ListTrustedDevices(const std::string& account_id) override {
    store_.Tick("ListTrustedDevices");
    return target_->ListTrustedDevices(account_id);
  }
  int CountDevices(const std::string& account_id) override {
    store_.Tick("CountDevices");
    return target_->CountDevices(account_id);
  }
  std::vector<domain::Challenge> OpenChallenges(const std::string& account_id, domain::ChallengePurpose purpose, Timestamp now) override {
    store_.Tick("OpenChallenges");
    return target_->OpenChallenges(account_id, purpose, now);
  }
  std::vector<domain::Challenge> ChallengesAliveAt(const std::string& account_id, domain::ChallengePurpose purpose, Timestamp at) override {
    store_.Tick("ChallengesAliveAt");
    return target_->ChallengesAliveAt(account_id, purpose, at);
  }
  void PutPushToken(const domain::PushRegistration& registration) override {
    store_.Tick("PutPushToken");
    return target_->PutPushToken(registration);
  }
  void DeletePushToken(const std::string& account_id, const std::string& device_id) override {
    store_.Tick("DeletePushToken");
    return target_->DeletePushToken(account_id, device_id);
  }
  std::optional<domain::PushRegistration> FindPushTarget(const std::string& account_id,
                                                         const std::string& device_id) override {
    store_.Tick("FindPushTarget");
    return target_->FindPushTarget(account_id, device_id);
  }
  void ForgetPushToken(domain::PushProvider provider, const std::string& token) override {
    store_.Tick("ForgetPushToken");
    return target_->ForgetPushToken(provider, token);
  }
  void InsertKeyGeneration(const StoredKeyGeneration& generation) override {
    store_.Tick("InsertKeyGeneration");
    return target_->InsertKeyGeneration(generation);
  }
  std::vector<StoredKeyGeneration> ListKeyGenerations() override {
    store_.Tick("ListKeyGenerations");
    return target_->ListKeyGenerations();
  }
  void DeleteKeyGeneration(const std::string& id) override {
    store_.Tick("DeleteKeyGeneration");
    return target_->DeleteKeyGeneration(id);
  }
  std::optional<domain::Rollout> FindRollout(const std::string& feature, const std::string& app) override {
    store_.Tick("FindRollout");
    return target_->FindRollout(feature, app);
  }
  void PutRollout(const domain::Rollout& rollout) override {
    store_.Tick("PutRollout");
    return target_->PutRollout(rollout);
  }
  domain::WindowCount CountHits(const std::string& key, Timestamp since) override {
    store_.Tick("CountHits");
    return target_->CountHits(key, since);
  }
  void RecordHit(const std::string& key, Timestamp at) override {
    store_.Tick("RecordHit");
    return target_->RecordHit(key, at);
  }
  void ClearHits(const std::string& key) override {
    store_.Tick("ClearHits");
    return target_->ClearHits(key);
  }
  void RemoveHit(const std::string& key, Timestamp at) override {
    store_.Tick("RemoveHit");
    return target_->RemoveHit(key, at);
  }
  void EnqueueMail(const MailMessage& message, Timestamp now) override {
    store_.Tick("EnqueueMail");
    return target_->EnqueueMail(message, now);
  }
  void AppendLoginEvent(const LoginEvent& event) override {
    store_.Tick("AppendLoginEvent");
    return target_->AppendLoginEvent(event);
  }
  std::vector<LoginEvent> ListLoginEvents(const std::string& account_id, int64_t before_id, int limit) override {
    store_.Tick("ListLoginEvents");
    return target_->ListLoginEvents(account_id, before_id, limit);
  }

 private:
  FaultyStore& store_;
  std::unique_ptr<Transaction> target_;
};

}  // namespace

void FaultyStore::Tick(const char* verb) {
  {
    std::lock_guard lock(trace_mutex_);
    trace_.emplace_back(verb);
  }
  const int call = ++calls_;
  if (fail_at_ != 0 && call == fail_at_) {
    fired_ = true;
    throw StoreError(std::string("injected fault at ") + verb);
  }
}

std::vector<std::string> FaultyStore::trace() const {
  std::lock_guard lock(trace_mutex_);
  return trace_;
}

std::unique_ptr<Transaction> FaultyStore::Begin() {
  before_begin();
  Tick("Begin");
  return std::make_unique<FaultyTransaction>(*this, StoreWrapper::Begin());
}

std::unique_ptr<Transaction> FaultyStore::BeginRead() {
  before_begin();
  Tick("BeginRead");
  return std::make_unique<FaultyTransaction>(*this, StoreWrapper::BeginRead());
}

std::optional<SecurityFacts> FaultyStore::ReadSecurityFacts(const std::string& token_hash,
                                                            Timestamp now,
                                                            const std::string& feature) {
  before_begin();
  Tick("ReadSecurityFacts");
  return StoreWrapper::ReadSecurityFacts(token_hash, now, feature);
}

std::vector<OutboxItem> FaultyStore::ClaimDueMail(Timestamp now, Timestamp lease_until, int limit) {
  Tick("ClaimDueMail");
  return StoreWrapper::ClaimDueMail(now, lease_until, limit);
}

void FaultyStore::MarkMailSent(int64_t id) {
  Tick("MarkMailSent");
  StoreWrapper::MarkMailSent(id);
}

void FaultyStore::MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) {
  Tick("MarkMailFailed");
  StoreWrapper::MarkMailFailed(id, attempts, next_attempt_at);
}

void FaultyStore::MarkMailRejected(int64_t id, Timestamp now) {
  Tick("MarkMailRejected");
  StoreWrapper::MarkMailRejected(id, now);
}

int FaultyStore::DropStaleCodeMail(Timestamp now) {
  Tick("DropStaleCodeMail");
  return StoreWrapper::DropStaleCodeMail(now);
}

std::optional<Timestamp> FaultyStore::NextMailDue() {
  Tick("NextMailDue");
  return StoreWrapper::NextMailDue();
}

OutboxBacklog FaultyStore::MailBacklog() {
  Tick("MailBacklog");
  return StoreWrapper::MailBacklog();
}

void FaultyStore::Prune(const PruneCutoffs& before) {
  Tick("Prune");
  StoreWrapper::Prune(before);
}

}  // namespace twostep::testing
