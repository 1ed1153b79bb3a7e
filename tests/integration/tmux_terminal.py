"""A real terminal for the interactive client tests: one tmux session that
runs a command; the tests type with send-keys and read with capture-pane."""

import shutil
import subprocess
import time
import unittest


class TmuxTerminal:
    def __init__(self, test, name, command, width=160, height=50):
        if not shutil.which("tmux"):
            raise unittest.SkipTest("tmux is not installed")
        self.test = test
        self.name = name
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                        command], check=True)

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def screen(self):
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True).stdout

    def wait_for(self, text, timeout=20, present=True):
        """The screen once it shows `text` (or no longer shows it, with
        present=False). Bounded polling: tmux has no event for a change."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.screen()
            if (text in s) == present:
                return s
            time.sleep(0.1)
        what = "never appeared on" if present else "stayed on"
        self.test.fail(f"{text!r} {what} the terminal:\n{self.screen()}")

    def keys(self, *keys):
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type_line(self, text):
        self.keys("-l", text)
        self.keys("Enter")
