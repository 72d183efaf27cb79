"""The supervisor behind `sangsaeng serve`, `web` and `worker`: its children do not outlive it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.backend_free


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by init) counts as gone
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_supervisor_killed_with_sigkill_takes_its_children_with_it(tmp_path):
    # given a supervisor running a child that would otherwise sleep for a minute
    pidfile = tmp_path / "child.pid"
    script = textwrap.dedent(
        f"""
        import sys
        from sangsaeng.core.serving import ProcessSpec, supervise
        child = "import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
        sys.exit(supervise([ProcessSpec(name="sleeper", argv=[sys.executable, "-c", child])]))
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sangsaeng.settings"}
    supervisor = subprocess.Popen([sys.executable, "-c", script], env=env)
    deadline = time.monotonic() + 60
    while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    child = int(pidfile.read_text())
    assert _alive(child)

    # when the supervisor is killed with no chance to clean up
    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait(timeout=10)

    # then the child is gone too, within seconds, not left holding a port
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)
