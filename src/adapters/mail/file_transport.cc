#include "adapters/mail/file_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "domain/email_address.h"

namespace twostep::mail {

namespace {
std::string SafeName(std::string_view id) {
  std::string out;
  for (char ch : id)
    if (isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.') out += ch;
  return out;
}

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}
}  // namespace

FileTransport::FileTransport(std::string dir, const MailComposer& composer)
    : dir_(std::move(dir)), composer_(composer) {
  std::filesystem::create_directories(dir_);
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
}

MailDelivery FileTransport::Send(const OutgoingMail& mail) {
  auto text = composer_.Compose(mail);
  if (!text) return MailDelivery::Retry(text.error().detail);
  const std::string name = std::to_string(ToMillis(mail.created_at)) + "-" +
                           SafeName(mail.message_id) + ".eml";
  const std::string path = dir_ + "/" + name;
  const std::string tmp = dir_ + "/." + name + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return MailDelivery::Retry("cannot write mail file: " + std::string(std::strerror(errno)));
  bool ok = WriteAll(fd, *text) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return MailDelivery::Retry("cannot write mail file");
  }
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  spdlog::info(R"({{"event":"mail_written","to":"{}","subject":"{}","file":"{}"}})",
               domain::MaskEmail(mail.message.to),
               FillAppName(mail.message.subject, composer_.AppName(mail.app)), name);
  return MailDelivery::Sent();
}

}  // namespace twostep::mail
