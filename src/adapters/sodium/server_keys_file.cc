#include "adapters/sodium/server_keys_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include <sodium.h>

namespace twostep {

namespace {
constexpr size_t kKeyBytes = 32;
constexpr size_t kFileBytes = 2 * kKeyBytes;

ServerKeys FromBytes(const std::string& raw) {
  return {raw.substr(0, kKeyBytes), raw.substr(kKeyBytes, kKeyBytes)};
}

ServerKeys LoadOrCreateKeyPair(const std::string& path);

std::string ReadAll(int fd) {
  std::string raw(kFileBytes + 1, '\0');
  size_t got = 0;
  while (got < raw.size()) {
    ssize_t n = ::read(fd, raw.data() + got, raw.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  raw.resize(got);
  return raw;
}
}  // namespace

ServerKeys LoadServerKeys(const std::string& path, const std::vector<std::string>& extra_paths) {
  ServerKeys keys = LoadOrCreateServerKeys(path);
  for (const auto& extra : extra_paths) {
    struct stat st {};
    if (::stat(extra.c_str(), &st) != 0)
      throw std::runtime_error("security.extra_keys_files: cannot read " + extra);
    ServerKeys other = LoadOrCreateServerKeys(extra);
    if (other.key_id != keys.key_id)
      keys.others[other.key_id] = {std::move(other.code_hmac_key), std::move(other.seal_key)};
  }
  return keys;
}

ServerKeys LoadOrCreateServerKeys(const std::string& path) {
  ServerKeys keys = LoadOrCreateKeyPair(path);
  keys.key_id = KeyFingerprint(keys);
  return keys;
}

namespace {
ServerKeys LoadOrCreateKeyPair(const std::string& path) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    struct stat st {};
    ::fstat(fd, &st);
    std::string raw = ReadAll(fd);
    ::close(fd);
    if ((st.st_mode & 077) != 0)
      throw std::runtime_error(path + " is readable by others; chmod 600 it");
    if (raw.size() != kFileBytes) throw std::runtime_error(path + " is not a twostep key file");
    ServerKeys keys = FromBytes(raw);
    sodium_memzero(raw.data(), raw.size());
    return keys;
  }
  if (errno != ENOENT) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));

  std::string raw(kFileBytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  // O_EXCL: when two processes start at once, one creates and the other
  // reads the winner's file.
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, raw.data(), raw.size()) == static_cast<ssize_t>(raw.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::link(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    sodium_memzero(raw.data(), raw.size());
    if (err == EEXIST) return LoadOrCreateKeyPair(path);
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
  }
  ::unlink(tmp.c_str());
  ServerKeys keys = FromBytes(raw);
  sodium_memzero(raw.data(), raw.size());
  return keys;
}
}  // namespace

std::string KeyFingerprint(const ServerKeys& keys) {
  std::string key = keys.code_hmac_key + keys.seal_key;  // 64 bytes: BLAKE2b's largest key
  constexpr std::string_view kLabel = "twostep server key fingerprint v1";
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  sodium_memzero(key.data(), key.size());
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

}  // namespace twostep
