// Login Security's lists (Trusted Devices, Login Activity) follow what
// happens elsewhere in every browser, trusted or not. An untrusted browser
// has no live socket (the WebSocket is a trusted device's code channel,
// SPEC §2), and even a trusted one hears only of code requests, not of a
// sign-in with a device secret or a removal made elsewhere. So while the
// screen is shown and the tab visible the lists are read again every
// POLL_MS, and at once when the tab comes back into view or gets focus;
// a hidden tab or another screen reads nothing (docs/DESIGN.md, "Lists
// that follow").
const POLL_MS = 10_000;
let timer: ReturnType<typeof setInterval> | undefined;
let listening = false;

export function watchLists(shown: () => boolean, refresh: () => void) {
  const tick = () => {
    if (!shown()) { clearInterval(timer); timer = undefined; return; }
    if (document.visibilityState === 'visible') refresh();
  };
  if (!listening) {
    listening = true;
    document.addEventListener('visibilitychange', () => { if (timer !== undefined) tick(); });
    window.addEventListener('focus', () => { if (timer !== undefined) tick(); });
  }
  clearInterval(timer);
  timer = setInterval(tick, POLL_MS);
}
