"""CPU time of one login attempt with the project's password hasher (issue 13: under
0.3 s each). `time.process_time` around `authenticate()` (django-axes on, as in
production) for a right and a wrong password, in a throwaway SQLite database.

    .venv/bin/python bench/login.py [--repeat N]
"""

import argparse
import os
import statistics
import tempfile
import time

HOME = tempfile.mkdtemp(prefix="coalition-bench-login-")
os.environ["COALITION_HOME"] = HOME
os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import logging
    import shutil

    from django.conf import settings
    from django.contrib.auth import authenticate, get_user_model
    from django.core.management import call_command
    from django.test import RequestFactory

    # Every wrong attempt is hashed: no lockout within the run, no log line for each.
    settings.AXES_FAILURE_LIMIT = 10**6
    logging.getLogger("axes").setLevel(logging.ERROR)
    # Only the tables a login touches: auth, sessions, axes.
    for app in ("contenttypes", "auth", "sessions", "axes"):
        call_command("migrate", app, verbosity=0)
    get_user_model().objects.create_user(username="bench", password="correct horse")
    request = RequestFactory().post("/login/", REMOTE_ADDR="192.0.2.1")
    print(f"hasher: {settings.PASSWORD_HASHERS[0]}")
    for label, password in (("right", "correct horse"), ("wrong", "wrong horse")):
        times = []
        for _ in range(args.repeat):
            started = time.process_time()
            user = authenticate(request, username="bench", password=password)
            times.append(time.process_time() - started)
            assert (user is not None) == (label == "right")
        print(
            f"{label} password: CPU median {statistics.median(times):.3f} s, "
            f"max {max(times):.3f} s over {args.repeat}"
        )
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
