// Store: the persistence port. The domain and the use cases see only these
// interfaces and domain types; the SQLite (adapters/sqlite) and PostgreSQL
// implementations live behind them.
//
// Every use case opens one transaction, works through its verbs and commits;
// a transaction that is destroyed without Commit() is rolled back, so an
// error or a crash never leaves a half-written change. Store failures (disk
// full, database gone) are thrown as StoreError, a single exception type that
// the HTTP boundary turns into 503 "unavailable": they are not expected
// outcomes of a use case, and threading them through every verb as values
// would bury the rules of the use cases.
//
// Thread-safety: Store is thread-safe; a Transaction belongs to one thread.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/time.h"
#include "domain/account.h"
#include "domain/challenge.h"
#include "domain/login_event.h"
#include "domain/mail.h"
#include "domain/push_token.h"
#include "domain/rate_limit.h"
#include "domain/rollout.h"

namespace twostep {

// One generation of server keys as the store keeps it: its public id
// (KeyFingerprint of the pair), the pair sealed under the key file's pair
// (hex), and when `twostepd keys rotate` made it.
struct StoredKeyGeneration {
  std::string id;
  std::string sealed;
  Timestamp created_at;
};

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database rolled the transaction back because it conflicted with
// another one (deadlock, serialisation failure). Nothing of it happened and
// no message or notification went out (those follow the commit), so the
// HTTP boundary runs the use case again a few times before answering 503.
class StoreConflict : public StoreError {
 public:
  using StoreError::StoreError;
};

struct OutboxBacklog {
  int64_t pending = 0;
  std::optional<Timestamp> oldest_created_at;
};

struct OutboxItem {
  int64_t id = 0;
  Timestamp created_at;
  int attempts = 0;
  MailMessage message;
  // The registered app of the account the recipient address belongs to
  // (empty when none): the mail goes out under that app's name.
  std::string app;
};

using LoginEvent = domain::LoginEvent;

// What the Login Security summary (GET /v1/account/security) reads, with
// the token check, in one snapshot: Store::ReadSecurityFacts.
struct SecurityFacts {
  domain::AccessGrant grant;  // as Transaction::FindValidAccess
  domain::Account account;    // of the grant
  // While the account has two-step off (only then does the summary ask
  // whether it is available): the app of the caller's device ("" when its
  // row is gone) and the stored rollout of the asked feature for that app
  // (none: the policy's). With two-step on, "" and none, unread.
  std::string caller_app;
  std::optional<domain::Rollout> rollout;
  // As ListTrustedDevices, in no particular order.
  std::vector<domain::DeviceRecord> trusted_devices;
};

class Transaction {
 public:
  virtual ~Transaction() = default;  // rolls back unless committed
  virtual void Commit() = 0;

  // Accounts
  virtual std::optional<domain::Account> FindAccountByEmail(const std::string& email) = 0;
  virtual std::optional<domain::Account> FindAccountById(const std::string& id) = 0;
  // False when the email is already taken (unique constraint).
  virtual bool InsertAccount(const domain::Account& account) = 0;
  virtual void UpdateAccount(const domain::Account& account) = 0;

  // Challenges. LockChallenge reads a challenge for update: concurrent
  // transactions on the same challenge are serialised.
  virtual void InsertChallenge(const domain::Challenge& c) = 0;
  virtual std::optional<domain::Challenge> LockChallenge(const std::string& id) = 0;
  virtual void UpdateChallenge(const domain::Challenge& c) = 0;

  // Tokens
  virtual void InsertTokenFamily(const domain::TokenFamily& family) = 0;
  virtual void InsertAccessToken(const std::string& token_hash, const std::string& family_id,
                                 Timestamp expires_at) = 0;
  virtual void InsertRefreshToken(const std::string& token_hash, const std::string& family_id,
                                  Timestamp expires_at) = 0;
  // Valid = exists, not expired at `now`, family not revoked.
  virtual std::optional<domain::AccessGrant> FindValidAccess(const std::string& token_hash,
                                                              Timestamp now) = 0;
  virtual std::optional<domain::RefreshRecord> LockRefreshToken(const std::string& token_hash) = 0;
  virtual void MarkRefreshUsed(const std::string& token_hash) = 0;
  virtual void RevokeFamily(const std::string& family_id, Timestamp now) = 0;
  // The session of `family_id` now holds the device secret whose hash is
  // given (its device was just trusted): see TokenFamily::device_secret_hash.
  virtual void SetFamilyDeviceSecret(const std::string& family_id,
                                     const std::string& secret_hash) = 0;
  // Revokes every family of the account except `keep_family_id` (may be
  // empty); returns the install ids of the devices that were signed out.
  virtual std::vector<std::string> RevokeAccountFamilies(const std::string& account_id,
                                                         const std::string& keep_family_id,
                                                         Timestamp now) = 0;
  // Of `family_ids`, those still live at `now`: not revoked, and holding an
  // unused refresh token that has not expired.
  virtual std::vector<std::string> LiveFamilies(const std::vector<std::string>& family_ids,
                                                Timestamp now) = 0;
  // Revokes every family of one device of the account.
  virtual void RevokeDeviceFamilies(const std::string& account_id, const std::string& device_id,
                                    Timestamp now) = 0;

  // Devices
  virtual std::optional<domain::DeviceRecord> FindDevice(const std::string& account_id,
                                                         const std::string& device_id) = 0;
  // Records that a device was seen now: creates it untrusted when new, else
  // updates its description, last_seen_at and last_ip. Never changes trust.
  virtual void TouchDevice(const std::string& account_id, const domain::DeviceDescription& device,
                           const std::string& ip, Timestamp now) = 0;
  // As TouchDevice, but only while the device is trusted with the secret
  // whose hash is `secret_hash` (a compare-and-set): false, and nothing
  // written, when its trust was removed or replaced meanwhile.
  virtual bool TouchTrustedDevice(const std::string& account_id,
                                  const domain::DeviceDescription& device, const std::string& ip,
                                  Timestamp now, const std::string& secret_hash) = 0;
  // Makes the device trusted with a new secret (creating it when new).
  virtual void TrustDevice(const std::string& account_id, const domain::DeviceDescription& device,
                           const std::string& ip, Timestamp now,
                           const std::string& secret_hash) = 0;
  // Ends the trust of a device that is trusted with `secret_hash`; false
  // when it is not (already removed, or trusted anew meanwhile).
  virtual bool UntrustDevice(const std::string& account_id, const std::string& device_id,
                             const std::string& secret_hash) = 0;
  // Moves last_seen_at only (a refresh is use of the device).
  virtual void MarkDeviceSeen(const std::string& account_id, const std::string& device_id,
                              Timestamp now) = 0;
  virtual std::vector<domain::DeviceRecord> ListTrustedDevices(const std::string& account_id) = 0;
  // How many devices (trusted or not) the account has ever signed in from.
  virtual int CountDevices(const std::string& account_id) = 0;

  // Open app-channel challenges of an account (for devices that were offline).
  virtual std::vector<domain::Challenge> OpenChallenges(const std::string& account_id,
                                                        domain::ChallengePurpose purpose,
                                                        Timestamp now) = 0;
  // Every challenge of the account with that purpose, in any state, whose
  // expiry is after `at`, oldest first: what a device live at `at` may still
  // show (for an instance that stopped hearing messages at `at`).
  virtual std::vector<domain::Challenge> ChallengesAliveAt(const std::string& account_id,
                                                           domain::ChallengePurpose purpose,
                                                           Timestamp at) = 0;

  // Mobile push registrations (one per device of an account). Putting one
  // replaces the device's previous registration and takes the token away
  // from any other device that had it. The revoking verbs above
  // (RevokeFamily, RevokeAccountFamilies, RevokeDeviceFamilies) delete the
  // registrations of the sessions they end.
  virtual void PutPushToken(const domain::PushRegistration& registration) = 0;
  virtual void DeletePushToken(const std::string& account_id, const std::string& device_id) = 0;
  // The registration of the device, only while the session that made it
  // is not revoked and holds the device's current trusted secret (U9).
  virtual std::optional<domain::PushRegistration> FindPushTarget(const std::string& account_id,
                                                                 const std::string& device_id) = 0;
  // The provider said the token is gone: wherever it is registered.
  virtual void ForgetPushToken(domain::PushProvider provider, const std::string& token) = 0;

  // Rollouts
  virtual std::optional<domain::Rollout> FindRollout(const std::string& feature,
                                                     const std::string& app) = 0;
  virtual void PutRollout(const domain::Rollout& rollout) = 0;

  // Rate limits: sliding windows of hits per key.
  virtual domain::WindowCount CountHits(const std::string& key, Timestamp since) = 0;
  virtual void RecordHit(const std::string& key, Timestamp at) = 0;
  virtual void ClearHits(const std::string& key) = 0;
  // Deletes one hit of `key` recorded at exactly `at` (none: no change): an
  // attempt that took its slot before the work and then succeeded gives it
  // back.
  virtual void RemoveHit(const std::string& key, Timestamp at) = 0;

  // Mail outbox, written in the transaction of the change that causes it.
  virtual void EnqueueMail(const MailMessage& message, Timestamp now) = 0;

  // Server key generations (`twostepd keys rotate`, issue #22): code keys
  // sealed under the key file's pair (adapters/sodium/key_generations.h).
  // Listed oldest first (created_at, then id); an id is inserted once.
  virtual void InsertKeyGeneration(const StoredKeyGeneration& generation) = 0;
  virtual std::vector<StoredKeyGeneration> ListKeyGenerations() = 0;
  virtual void DeleteKeyGeneration(const std::string& id) = 0;

  // Login activity
  virtual void AppendLoginEvent(const LoginEvent& event) = 0;
  // Newest first, ids below `before_id` (0: from the newest), at most `limit`.
  virtual std::vector<LoginEvent> ListLoginEvents(const std::string& account_id,
                                                  int64_t before_id, int limit) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // A read-write transaction. Throws StoreError when the store is unusable.
  virtual std::unique_ptr<Transaction> Begin() = 0;
  // A transaction that only reads: one consistent snapshot of the store.
  // Writing through it throws StoreError. Stores may run it without
  // waiting for writers (SQLite: outside the gate, on a WAL snapshot).
  virtual std::unique_ptr<Transaction> BeginRead() { return Begin(); }

  // The Login Security summary's reads as one step (issue 18: one round
  // trip to PostgreSQL instead of BEGIN, three to five reads and ROLLBACK).
  // Nothing when `token_hash` is not valid at `now` (FindValidAccess) or
  // its account is gone. `feature` names the rollout to read.
  virtual std::optional<SecurityFacts> ReadSecurityFacts(const std::string& token_hash,
                                                         Timestamp now,
                                                         const std::string& feature) = 0;

  // Outbox delivery (used by the mail sender, each call its own transaction).
  // Claims up to `limit` due messages, hiding them from other claimers until
  // `lease_until`; at-least-once: a crash before MarkMailSent re-sends.
  virtual std::vector<OutboxItem> ClaimDueMail(Timestamp now, Timestamp lease_until,
                                               int limit) = 0;
  // Deletes the delivered message and clears the undeliverable mark of the
  // account of its recipient address (a delivery the server accepted
  // proves the address takes mail again).
  virtual void MarkMailSent(int64_t id) = 0;
  virtual void MarkMailFailed(int64_t id, int attempts, Timestamp next_attempt_at) = 0;
  // The receiving server refused the message for good: deletes it (it is
  // not retried) and marks the account of its recipient address
  // undeliverable since `now` (Account::email_undeliverable_since; an
  // earlier mark is kept). One transaction.
  virtual void MarkMailRejected(int64_t id, Timestamp now) = 0;
  // Deletes, unsent, the code mails (MailMessage::challenge_id) whose
  // challenge is no longer open at `now` or has sent a newer code since;
  // returns how many.
  virtual int DropStaleCodeMail(Timestamp now) = 0;
  // Earliest next_attempt_at of any pending message, for the sender's wait.
  virtual std::optional<Timestamp> NextMailDue() = 0;
  // How many messages wait in the outbox and since when the oldest does
  // (for the operators' backlog gauge).
  virtual OutboxBacklog MailBacklog() = 0;

  // Housekeeping: deletes rate-limit hits older than `hits`, login events
  // older than `events`, ended challenges older than `challenges`, and
  // accounts never verified that were created before `unverified_accounts`
  // and have no open challenge (U1; with all their rows); wipes the sealed
  // codes and carried password hashes of challenges that expired before
  // `now` (SPEC §2: the sealed copy goes when the challenge ends); deletes
  // access and refresh tokens that expired before `now`, and the token
  // families (sessions, with their tokens) signed out before `sessions` or
  // whose last refresh token expired before it.
  struct PruneCutoffs {
    Timestamp hits, events, challenges, unverified_accounts, now, sessions;
  };
  virtual void Prune(const PruneCutoffs& before) = 0;
};

}  // namespace twostep
