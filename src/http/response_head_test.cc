#include "http/response_head.h"

#include <string>
#include <utility>
#include <vector>

#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

namespace twostep::http {
namespace {

namespace bhttp = boost::beast::http;
using Fields = std::vector<std::pair<std::string, std::string>>;

// The head Beast's serializer writes for the same calls, as the session
// wrote it before ResponseHead.
std::string BeastHead(int status, const Fields& fields, size_t length, bool keep_alive) {
  bhttp::response<bhttp::string_body> res;
  res.version(11);
  res.result(static_cast<unsigned>(status));
  for (const auto& [k, v] : fields) res.set(k, v);
  res.content_length(length);
  res.keep_alive(keep_alive);
  std::string out;
  bhttp::response_serializer<bhttp::string_body> sr(res);
  sr.split(true);
  boost::beast::error_code ec;
  while (!ec && !sr.is_header_done()) {
    sr.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
      for (const auto b : boost::beast::buffers_range_ref(buffers))
        out.append(static_cast<const char*>(b.data()), b.size());
      sr.consume(boost::beast::buffer_bytes(buffers));
    });
  }
  return out;
}

std::string OurHead(int status, const Fields& fields, size_t length, bool keep_alive) {
  ResponseHead head(status);
  for (const auto& [k, v] : fields) head.Set(k, v);
  std::string out = "left over from the previous answer";
  head.Write(out, length, keep_alive);
  return out;
}

void ExpectSameAsBeast(int status, const Fields& fields, size_t length, bool keep_alive) {
  EXPECT_EQ(OurHead(status, fields, length, keep_alive), BeastHead(status, fields, length, keep_alive));
}

const Fields kHealthz = {{"Server", "twostepd"},
                         {"Content-Type", "application/json"},
                         {"X-Request-Id", "0123456789abcdef"},
                         {"X-Content-Type-Options", "nosniff"},
                         {"Cache-Control", "no-store"}};

TEST(ResponseHeadTest, KeptAliveAnswerIsBeastsBytes) {
  ExpectSameAsBeast(200, kHealthz, 15, true);
  EXPECT_EQ(OurHead(200, {{"Server", "twostepd"}}, 0, true),
            "HTTP/1.1 200 OK\r\nServer: twostepd\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHeadTest, ClosingAnswerEndsWithConnectionClose) {
  ExpectSameAsBeast(400, kHealthz, 1234567, false);
}

TEST(ResponseHeadTest, ALaterFieldOfTheSameNameInAnyCaseReplacesTheEarlierAndGoesLast) {
  Fields f = kHealthz;
  f.emplace_back("cache-control", "public, max-age=31536000, immutable");
  f.emplace_back("Retry-After", "1");
  f.emplace_back("RETRY-AFTER", "2");
  f.emplace_back("WWW-Authenticate", "Bearer");
  ExpectSameAsBeast(503, f, 80, true);
}

TEST(ResponseHeadTest, TheServersLengthAndConnectionWin) {
  Fields f = kHealthz;
  f.emplace_back("Content-Length", "999");
  ExpectSameAsBeast(200, f, 3, false);
}

TEST(ResponseHeadTest, ReasonsOfKnownAndUnknownStatuses) {
  for (int status : {101, 201, 204, 304, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503, 299})
    ExpectSameAsBeast(status, {{"Server", "twostepd"}}, 0, true);
}

// A field whose name or value could end the line (CR, LF) or is empty is
// never written: a handler's header must not split the answer, whatever
// it was given (no handler sets one from request data today).
TEST(ResponseHeadTest, AFieldThatCouldSplitTheAnswerIsLeftOut) {
  const std::string head = OurHead(
      200, {{"X-A", "ok"}, {"X-B", "v\r\nSet-Cookie: s=1"}, {"X-C\n", "v"}, {"", "v"}, {"X-D", "l\nf"}},
      0, true);
  EXPECT_EQ(head, "HTTP/1.1 200 OK\r\nX-A: ok\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace twostep::http
