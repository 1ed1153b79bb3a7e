#include "cli/profile.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>
#include <sodium.h>

#include "cli/texts.h"

namespace twostep::cli {

namespace json = boost::json;

namespace {
std::string Field(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
}  // namespace

ProfileStore::ProfileStore() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  if (xdg && *xdg) {
    dir_ = std::string(xdg) + "/twostep";
  } else if (home && *home) {
    dir_ = std::string(home) + "/.config/twostep";
  } else {
    throw TextError("cli.profile.no_home");
  }
}

std::string ProfileStore::PathOf(const std::string& name) const {
  if (name.empty() || name.size() > 32 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
          std::string::npos)
    throw TextError("cli.profile.bad_name");
  return dir_ + "/" + name + ".json";
}

Profile ProfileStore::Load(const std::string& name) const {
  Profile p;
  p.name = name;
  const std::string path = PathOf(name);
  std::ifstream in(path);
  if (!in) {
    unsigned char raw[12];
    randombytes_buf(raw, sizeof raw);
    char hex[25];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    p.install_id = std::string("cli-") + hex;
    return p;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    throw TextError("cli.profile.too_open", {{"path", path}});
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec || !v.is_object()) throw TextError("cli.profile.damaged", {{"path", path}});
  const auto& o = v.as_object();
  p.install_id = Field(o, "install_id");
  p.email = Field(o, "email");
  p.account_id = Field(o, "account_id");
  p.access_token = Field(o, "access_token");
  p.refresh_token = Field(o, "refresh_token");
  p.device_secret = Field(o, "device_secret");
  p.device_name = Field(o, "device_name");
  p.locale = Field(o, "locale");
  p.time_zone = Field(o, "time_zone");
  if (p.install_id.size() < 8) throw TextError("cli.profile.no_install_id", {{"path", path}});
  return p;
}

void ProfileStore::Save(const Profile& p) const {
  std::filesystem::create_directories(dir_);
  ::chmod(dir_.c_str(), 0700);
  json::object o{{"install_id", p.install_id}, {"email", p.email}, {"account_id", p.account_id},
                 {"access_token", p.access_token}, {"refresh_token", p.refresh_token},
                 {"device_secret", p.device_secret}, {"device_name", p.device_name},
                 {"locale", p.locale}, {"time_zone", p.time_zone}};
  const std::string path = PathOf(p.name);
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw TextError("cli.profile.cannot_write", {{"path", tmp}});
  std::string text = json::serialize(o) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw TextError("cli.profile.cannot_write", {{"path", path}});
  }
}

bool ProfileStore::Exists(const std::string& name) const {
  return std::filesystem::exists(PathOf(name));
}

ProfileLock::~ProfileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

ProfileLock ProfileStore::Lock(const std::string& name) const {
  std::filesystem::create_directories(dir_);
  ::chmod(dir_.c_str(), 0700);
  const std::string path = PathOf(name) + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw TextError("cli.profile.cannot_open", {{"path", path}});
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(fd);
      throw TextError("cli.profile.cannot_lock", {{"path", path}});
    }
  }
  return ProfileLock(fd);
}

}  // namespace twostep::cli
