// WorkSource: where a use case gets its unit of work (read-write) or its
// read snapshot, the time it runs at and the security policy it applies.
// It holds what every use case that touches the store needs together (the
// store, the clock, where committed work is announced, the live policy)
// and nothing else: the other ports a use case uses are named in its own
// constructor. Built once in the composition root (app/use_cases.cc).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "base/result.h"
#include "base/secret.h"
#include "ports/clock.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/unit_of_work.h"

namespace twostep::service {

// A read-only snapshot of the store at one time, with the policy it reads
// under. Nothing is written, so ending it without a commit loses nothing.
class ReadSnapshot {
 public:
  ReadSnapshot(Store& store, const Clock& clock, PolicySnapshot policy)
      : tx_(store.BeginRead()), now_(clock.Now()), policy_(std::move(policy)) {}
  Transaction& tx() { return *tx_; }
  Transaction* operator->() { return tx_.get(); }
  Timestamp now() const { return now_; }
  const SecurityPolicy& policy() const { return *policy_; }

 private:
  std::unique_ptr<Transaction> tx_;
  Timestamp now_;
  PolicySnapshot policy_;
};

class WorkSource {
 public:
  WorkSource(Store& store, const Clock& clock, Announcer announcer, const LivePolicy& policy)
      : store_(store), clock_(clock), announcer_(std::move(announcer)), policy_(policy) {}

  // A unit of work under the policy in force now.
  UnitOfWork Begin() const { return Begin(Policy()); }
  // A unit of work under `policy`: a request that needs several units (or
  // checks before the first) takes Policy() once and passes it to each, so
  // it applies one policy throughout, whatever a reload does meanwhile.
  UnitOfWork Begin(PolicySnapshot policy) const {
    return UnitOfWork(store_, clock_, announcer_, std::move(policy));
  }
  // The Login Security summary's reads with the token check, in one step
  // (Store::ReadSecurityFacts).
  std::optional<SecurityFacts> ReadSecurityFacts(const std::string& token_hash, Timestamp now,
                                                 const std::string& feature) const {
    return store_.ReadSecurityFacts(token_hash, now, feature);
  }
  ReadSnapshot Read() const { return Read(Policy()); }
  ReadSnapshot Read(PolicySnapshot policy) const {
    return ReadSnapshot(store_, clock_, std::move(policy));
  }
  Timestamp Now() const { return clock_.Now(); }
  // The policy in force now (for checks before any unit of work begins).
  PolicySnapshot Policy() const { return policy_.Get(); }

 private:
  Store& store_;
  const Clock& clock_;
  Announcer announcer_;
  const LivePolicy& policy_;
};

// 401 unauthorized unless `access_token` is live at `now` in `tx`.
Result<Caller> Authenticate(Transaction& tx, const Secret& access_token, Timestamp now);
// The stored hash of `access_token`; nothing for one that no session could
// have been given (empty or too long), which is 401 without a read.
std::optional<std::string> AccessTokenHash(const Secret& access_token);

// An authenticated read: the token check and `read(snapshot, caller)` share
// one snapshot, so it costs one transaction, not two.
template <class Read>
auto ReadAs(const WorkSource& works, const Secret& access_token, Read&& read)
    -> decltype(read(std::declval<ReadSnapshot&>(), std::declval<const Caller&>())) {
  auto snapshot = works.Read();
  auto caller = Authenticate(snapshot.tx(), access_token, snapshot.now());
  if (!caller) return std::move(caller).error();
  return read(snapshot, *caller);
}

}  // namespace twostep::service
