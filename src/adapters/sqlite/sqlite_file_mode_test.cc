// The SQLite files hold password hashes, token hashes and login activity:
// they are created readable by the service's user only (0600), whatever the
// process umask, and so are the -wal and -shm files SQLite adds beside them.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_store.h"
#include "testing/store_samples.h"
#include "testing/temp_dir.h"

namespace twostep::sqlite {
namespace {

// Sets the process umask for the scope of a test and restores it after.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(SqliteFileModeTest, AFreshStoreAndItsWalAndShmFilesAre0600UnderUmask022) {
  ScopedUmask umask(022);
  twostep::testing::TempDir dir;
  const std::string path = dir.path() + "/fresh.db";
  SqliteStore store(path);
  {
    // A committed write: the -wal and -shm files exist while the store is open.
    auto tx = store.Begin();
    tx->RecordHit("mode-test", testing::kStoreT0);
    tx->Commit();
  }
  for (const char* suffix : {"", "-wal", "-shm"})
    EXPECT_EQ(ModeOf(path + suffix), 0600u) << suffix;
}

TEST(SqliteFileModeTest, AnExistingWorldReadableDatabaseIsTightenedAtOpen) {
  ScopedUmask umask(022);
  twostep::testing::TempDir dir;
  const std::string path = dir.path() + "/old.db";
  { SqliteStore first(path); }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  SqliteStore store(path);
  {
    auto tx = store.Begin();
    tx->RecordHit("mode-test", testing::kStoreT0);
    tx->Commit();
  }
  for (const char* suffix : {"", "-wal", "-shm"})
    EXPECT_EQ(ModeOf(path + suffix), 0600u) << suffix;
}

}  // namespace
}  // namespace twostep::sqlite
