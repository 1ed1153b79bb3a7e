// WorkSource: where a use case gets its unit of work (read-write) or its
// read snapshot, and the time it runs at. It holds the three ports every
// use case that touches the store needs together (the store, the clock,
// and where committed work is announced) and nothing else: the other ports
// a use case uses are named in its own constructor. Built once in the
// composition root (app/use_cases.cc).
#pragma once

#include <memory>
#include <utility>

#include "base/result.h"
#include "base/secret.h"
#include "ports/clock.h"
#include "ports/store.h"
#include "service/results.h"
#include "service/unit_of_work.h"

namespace twostep::service {

// A read-only snapshot of the store at one time. Nothing is written, so
// ending it without a commit loses nothing.
class ReadSnapshot {
 public:
  ReadSnapshot(Store& store, const Clock& clock) : tx_(store.BeginRead()), now_(clock.Now()) {}
  Transaction& tx() { return *tx_; }
  Transaction* operator->() { return tx_.get(); }
  Timestamp now() const { return now_; }

 private:
  std::unique_ptr<Transaction> tx_;
  Timestamp now_;
};

class WorkSource {
 public:
  WorkSource(Store& store, const Clock& clock, Announcer announcer)
      : store_(store), clock_(clock), announcer_(std::move(announcer)) {}

  UnitOfWork Begin() const { return UnitOfWork(store_, clock_, announcer_); }
  ReadSnapshot Read() const { return ReadSnapshot(store_, clock_); }
  Timestamp Now() const { return clock_.Now(); }

 private:
  Store& store_;
  const Clock& clock_;
  Announcer announcer_;
};

// 401 unauthorized unless `access_token` is live at `now` in `tx`.
Result<Caller> Authenticate(Transaction& tx, const Secret& access_token, Timestamp now);

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
