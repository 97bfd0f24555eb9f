"""The `coalition` command. Thin: each subcommand is a Django management command or the
optimiser's own CLI; the rules live in services."""

import os
import sys

USAGE = """usage: coalition COMMAND [ARGS]

commands:
  migrate                         apply database migrations
  demo [--reset] [--if-empty]     load the drone coalition demo
  serve [--host H] [--port P]     run the production web server
    [--no-worker]                 without task workers (they run as `coalition worker`)
  token create USERNAME           print a new API token for USERNAME (90 days unless
    [--name N] [--read-only]      --expires-in DAYS, --expires-on DATE or --no-expiry)
    [--expires-in DAYS]
  token list [USERNAME]           the API tokens (all, or USERNAME's) with their status
  token revoke PREFIX_OR_ID       revoke a token: it stops working at once
  two_factor reset USERNAME       remove a lost TOTP device; the next login sets up a new one
  axes_reset                      lift every login lockout (axes_reset_username, _ip: one)
  audit verify [--public-key F] [--head H ...]
                                  check the signed chain and the state against it
  audit head | public-key         print the signed head, or the chain's public key
  audit check-head H --public-key F
                                  check exported heads with the public key alone
  audit heads [--export json|csv] verify and record the day's head (daily); export them
  createsuperuser                 Django's, audited
  plan solve|check ...            the pooled-purchase optimiser
  pledges import FILE             import a pledge file (.csv or .xlsx)
    [--coalition SLUG]            all or nothing; default: the only coalition
  requirements import FILE        import the beneficiary's requirements (.csv or .xlsx)
    [--coalition SLUG]            all or nothing
  offers import FILE              import a competition's offers (.csv or .xlsx)
    --competition REF             all or nothing; while it is open, before its deadline
    [--coalition SLUG]
  deliveries import FILE          import a delivery manifest (.csv or .xlsx)
    [--coalition SLUG]            all or nothing; a progress bar on stderr
  export ocds [--output FILE]     the procurement as an OCDS 1.1 release package
    [--records] [--coalition SLUG]  (--records: a record package with compiled releases)
  report summit --year YYYY       the summit report of a year as a PDF
    [--lang en|fr|uk] --output FILE.pdf  [--coalition SLUG]
  backup FILE                     the whole database to FILE (gzip'd JSON lines)
  restore FILE [--force]          a backup into this migrated database, all or nothing;
                                  refused when its audit chain does not verify
  rates load                      write the shipped ECB history again (migrate does)
  rates update FILE               load a newer ECB file (CSV or ZIP)
  rates add CURRENCY DATE RATE    a rate by hand (units per EUR), e.g. for UAH
  rates show CURRENCY DATE        the rate used on a date
  accession close-expired         decide applications whose deadline has passed
  worker [--lease S]              run background tasks (optimiser runs, large imports) and
                                  the periodic jobs (closing expired votes, queuing again
                                  the tasks of workers dead for S seconds)
  check-migrations                fail when a model change has no migration
  openapi [--check FILE]          print (or check) the OpenAPI schema
  (any other Django management command works too)
"""


LEAN_COMMANDS = {
    "audit",
    "pledges",
    "requirements",
    "offers",
    "deliveries",
    "rates",
    "accession",
    "token",
    "export",
    "report",
}


def _settings_loaded() -> bool:
    """Django is set up already (main called in-process, by tests): changing the
    environment would not apply here, only leak into later processes."""
    settings_module = sys.modules.get("django.conf")
    return bool(settings_module and settings_module.settings.configured)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if args else 2
    if args[0] == "plan":
        # The optimiser is pure Python: no Django start-up for solving a file.
        from coalition.optimizer.cli import main as plan_main

        return plan_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    if args[0] in LEAN_COMMANDS and not _settings_loaded():
        # These answer in one line and serve no page: they start without the web's own
        # apps (the admin, the API's docs), which are half of Django's start-up time.
        os.environ.setdefault("COALITION_LEAN", "1")
    from django.core.management import execute_from_command_line

    if args[0] == "check-migrations":
        args = ["makemigrations", "--check", "--dry-run"]
    try:
        execute_from_command_line(["coalition", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
