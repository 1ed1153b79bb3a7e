// Argon2id at the server's default parameters (t=2, m=19 MiB, p=1), three
// ways, to decide issue #18 item 3 by measurement:
//  - libsodium's crypto_pwhash_str, what the server uses: it maps, zeroes
//    and unmaps the 19 MiB on every call, but its core is AVX2/SSSE3;
//  - Debian's libargon2 (the reference implementation) through argon2_ctx
//    with memory the thread allocates once and keeps (wiped after each hash
//    by libargon2 itself): no mmap, no page faults;
//  - the same with libargon2's own allocator (malloc/free per hash).
// `build/bench/twostep_hashbench --benchmark_repetitions=8` (bench/run.sh
// runs it; bench/ANALYSIS.md has the verdict).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <argon2.h>
#include <sodium.h>

namespace {

constexpr uint32_t kT = 2;
constexpr uint32_t kMemKib = 19456;
constexpr char kPassword[] = "correct horse";

thread_local uint8_t* tls_memory = nullptr;
thread_local size_t tls_size = 0;

int KeepAllocate(uint8_t** memory, size_t bytes) {
  if (tls_size < bytes) {
    std::free(tls_memory);
    void* p = nullptr;
    if (posix_memalign(&p, 4096, bytes) != 0) return ARGON2_MEMORY_ALLOCATION_ERROR;
    tls_memory = static_cast<uint8_t*>(p);
    tls_size = bytes;
  }
  *memory = tls_memory;
  return ARGON2_OK;
}
void KeepFree(uint8_t*, size_t) {}  // already wiped by libargon2; kept

int Argon2Ctx(bool keep_memory) {
  uint8_t out[32];
  uint8_t salt[16];
  randombytes_buf(salt, sizeof salt);
  argon2_context ctx{};
  ctx.out = out;
  ctx.outlen = sizeof out;
  ctx.pwd = reinterpret_cast<uint8_t*>(const_cast<char*>(kPassword));
  ctx.pwdlen = sizeof kPassword - 1;
  ctx.salt = salt;
  ctx.saltlen = sizeof salt;
  ctx.t_cost = kT;
  ctx.m_cost = kMemKib;
  ctx.lanes = ctx.threads = 1;
  ctx.version = ARGON2_VERSION_13;
  if (keep_memory) {
    ctx.allocate_cbk = KeepAllocate;
    ctx.free_cbk = KeepFree;
  }
  return argon2_ctx(&ctx, Argon2_id);
}

void BM_LibsodiumPwhashStr(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init");
  char out[crypto_pwhash_STRBYTES];
  for (auto _ : state)
    benchmark::DoNotOptimize(crypto_pwhash_str_alg(out, kPassword, sizeof kPassword - 1, kT,
                                                   size_t{kMemKib} * 1024,
                                                   crypto_pwhash_ALG_ARGON2ID13));
}
BENCHMARK(BM_LibsodiumPwhashStr)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Libargon2KeptMemory(benchmark::State& state) {
  if (Argon2Ctx(true) != ARGON2_OK) state.SkipWithError("argon2_ctx");
  for (auto _ : state) benchmark::DoNotOptimize(Argon2Ctx(true));
}
BENCHMARK(BM_Libargon2KeptMemory)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Libargon2OwnAllocator(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Argon2Ctx(false));
}
BENCHMARK(BM_Libargon2OwnAllocator)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
