#include "app/line_buffer_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

namespace twostep::app {
namespace {

// A pipe stands for stderr: what the sink wrote can be read back at once,
// and "nothing written yet" is an empty non-blocking read.
class LineBufferSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::pipe2(fds_, O_NONBLOCK), 0);
    ASSERT_GE(::fcntl(fds_[1], F_SETPIPE_SZ, 1 << 20), 1 << 20);  // room for one 64 KiB write and more
    sink_ = std::make_shared<LineBufferSink>(fds_[1]);
    sink_->set_pattern("%n %v");
    events_ = std::make_shared<spdlog::logger>("twostepd", sink_);
    requests_ = std::make_shared<spdlog::logger>(std::string(LineBufferSink::kBufferedLogger), sink_);
    requests_->flush_on(spdlog::level::off);
  }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  std::string Written() {
    std::string out;
    char buf[65536];
    for (ssize_t n; (n = ::read(fds_[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    return out;
  }

  int fds_[2];
  std::shared_ptr<LineBufferSink> sink_;
  std::shared_ptr<spdlog::logger> events_, requests_;
};

TEST_F(LineBufferSinkTest, RequestLinesWaitForTheFlush) {
  requests_->info("r1");
  requests_->info("r2");
  EXPECT_EQ(Written(), "");
  requests_->flush();
  EXPECT_EQ(Written(), "requests r1\nrequests r2\n");
}

TEST_F(LineBufferSinkTest, AnEventLineGoesOutAtOnceAfterTheRequestLinesBeforeIt) {
  requests_->info("r1");
  events_->info("started");
  EXPECT_EQ(Written(), "requests r1\ntwostepd started\n");
}

TEST_F(LineBufferSinkTest, SixtyFourKibibytesOfRequestLinesAreWrittenWithoutAFlush) {
  const std::string payload(1000, 'x');
  size_t lines = 0;
  std::string seen;
  while (seen.empty() && lines < 200) {
    requests_->info(payload);
    ++lines;
    seen = Written();
  }
  EXPECT_GE(seen.size(), LineBufferSink::kFlushAt);
  EXPECT_EQ(seen.size(), lines * (payload.size() + std::string("requests \n").size()));
}

TEST_F(LineBufferSinkTest, DestroyingTheSinkWritesWhatIsLeft) {
  requests_->info("last");
  requests_.reset();
  events_.reset();
  sink_.reset();
  EXPECT_EQ(Written(), "requests last\n");
}

}  // namespace
}  // namespace twostep::app
