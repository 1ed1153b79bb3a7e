// When the live connection tries again after it ended (a close 1012/1001 of
// a draining server, a dropped network): jittered exponential back-off, the
// same rule as the server's src/domain/reconnect_backoff.h. The first try
// comes within 0.5 s; each further one doubles the window up to 30 s; half
// of each window is random, so the browsers a restarted instance dropped at
// the same moment do not all come back at once.
export const FIRST_WINDOW_MS = 500;
export const LONGEST_WINDOW_MS = 30_000;

// `random` in [0, 1); the wait is in [window / 2, window].
export function reconnectDelay(attempt: number, random: number): number {
  const window = Math.min(FIRST_WINDOW_MS * 2 ** Math.min(attempt, 16), LONGEST_WINDOW_MS);
  return window / 2 + Math.floor(random * (window / 2 + 1));
}
