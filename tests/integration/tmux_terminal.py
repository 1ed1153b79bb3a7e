"""A real terminal for the interactive client tests: one tmux session that
runs a command; the tests type with send-keys and read with capture-pane."""

import os
import shutil
import subprocess
import time
import unittest


class TmuxTerminal:
    """With `socket`, the session runs on a tmux server of its own
    (tmux -L), started in UTF-8 (-u, LC_CTYPE=C.UTF-8, which every glibc
    has): wide characters then take two cells whatever locales the machine
    has generated, and the captured screen is UTF-8."""

    def __init__(self, test, name, command, width=160, height=50, socket=None):
        if not shutil.which("tmux"):
            raise unittest.SkipTest("tmux is not installed")
        self.test = test
        self.name = name
        self.tmux = ["tmux"]
        self.env = None
        if socket:
            self.tmux = ["tmux", "-u", "-L", socket]
            self.env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
            self.env.update(LANG="C.UTF-8", LC_CTYPE="C.UTF-8")
        subprocess.run(self.tmux + ["new-session", "-d", "-s", name, "-x", str(width), "-y",
                                    str(height), command], check=True, env=self.env)

    def close(self):
        subprocess.run(self.tmux + ["kill-session", "-t", self.name], capture_output=True,
                       env=self.env)

    def screen(self):
        return subprocess.run(self.tmux + ["capture-pane", "-p", "-t", self.name],
                              capture_output=True, env=self.env, encoding="utf-8",
                              errors="replace").stdout

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
        subprocess.run(self.tmux + ["send-keys", "-t", self.name, *keys], check=True, env=self.env)

    def type_line(self, text):
        self.keys("-l", text)
        self.keys("Enter")
