#include "http/handler_call.h"

#include <stdexcept>

#include <gtest/gtest.h>

#include "ports/store.h"

namespace twostep::http {
namespace {

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

HttpResponse CallWith(Handler h) {
  Route route{"POST", "/v1/x", Lane::kWork, std::move(h)};
  return CallHandler(RouteMatch{&route, {}}, HttpRequest{});
}

TEST(HandlerCallTest, AConflictRunsTheHandlerAgain) {
  int runs = 0;
  auto r = CallWith([&](const HttpRequest&, const PathParams&) {
    if (++runs < kConflictAttempts) throw StoreConflict("deadlock");
    return HttpResponse{204, "", "", {}};
  });
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(runs, kConflictAttempts);
}

TEST(HandlerCallTest, ConflictsToTheLastAttemptAre503) {
  int runs = 0;
  auto r = CallWith([&](const HttpRequest&, const PathParams&) -> HttpResponse {
    ++runs;
    throw StoreConflict("deadlock");
  });
  EXPECT_EQ(runs, kConflictAttempts);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(HeaderOf(r, "Retry-After"), std::to_string(kStoreRetryAfter.count()));
}

TEST(HandlerCallTest, AStoreFailureIs503AndNotRunAgain) {
  int runs = 0;
  auto r = CallWith([&](const HttpRequest&, const PathParams&) -> HttpResponse {
    ++runs;
    throw StoreError("connection lost");
  });
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body.find("connection lost"), std::string::npos) << r.body;
}

TEST(HandlerCallTest, AnyOtherExceptionIs500WithoutItsText) {
  auto r = CallWith([](const HttpRequest&, const PathParams&) -> HttpResponse {
    throw std::runtime_error("secret detail");
  });
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace twostep::http
