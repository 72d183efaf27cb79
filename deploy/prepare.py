"""One Django process for deploy/run.sh's preparation: check --deploy, migrate, collectstatic and the
message catalogues. Each Django start costs ~5 s of CPU here, so they share one."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as exc:
        print(f"deploy: manage.py check --deploy failed:\n{exc}", file=sys.stderr)
        return 1
    print("deploy: migrating", file=sys.stderr, flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print("deploy: collecting static files", file=sys.stderr, flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    if shutil.which("msgfmt"):
        os.chdir(Path(__file__).resolve().parents[1] / "sangsaeng")
        call_command("compilemessages", verbosity=0, ignore_patterns=[".venv"])
    else:
        print("deploy: msgfmt (Debian gettext) missing: pages show their Korean source text", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
