// Profile: what the `twostep` client keeps for one account on this machine
// (several profiles side by side): a stable install id, the device secret
// once trusted, and the tokens. Stored as JSON in
// $XDG_CONFIG_HOME/twostep/<name>.json (default ~/.config), directory 0700,
// file 0600, replaced atomically.
#pragma once

#include <string>

namespace twostep::cli {

struct Profile {
  std::string name;
  std::string install_id;
  std::string email;
  std::string account_id;
  std::string access_token;
  std::string refresh_token;
  std::string device_secret;
  // What the account's lists call this device; empty = derived from the
  // profile name (see ClientApp::DeviceName).
  std::string device_name;
  // The account's language and time zone (GET /v1/account), kept while
  // signed in: the client speaks the account's language (docs/I18N.md).
  std::string locale;
  std::string time_zone;
};

// An exclusive advisory lock (flock) on one profile, held while its tokens
// are refreshed, so that two `twostep` processes of one profile never both
// spend the same refresh token (the second would be a reuse, which revokes
// the session). Released by the destructor.
class ProfileLock {
 public:
  explicit ProfileLock(int fd) : fd_(fd) {}
  ProfileLock(const ProfileLock&) = delete;
  ProfileLock& operator=(const ProfileLock&) = delete;
  ~ProfileLock();

 private:
  int fd_;
};

class ProfileStore {
 public:
  // Throws TextError (cli/texts.h) when no config directory can be found.
  ProfileStore();
  // A missing profile is created (with a fresh install id) but not saved.
  // Throws TextError for a bad name, or for a
  // corrupt or too-open file.
  Profile Load(const std::string& name) const;
  void Save(const Profile& profile) const;
  bool Exists(const std::string& name) const;
  // Blocks until this process holds the profile's lock (<name>.json.lock beside
  // the profile, mode 0600). Throws TextError when it cannot be
  // created.
  ProfileLock Lock(const std::string& name) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string PathOf(const std::string& name) const;
  std::string dir_;
};

}  // namespace twostep::cli
