"""`liqbot` command line: one console entry point (SPEC section 2), every command listed below.

One module per command group (``bot.cli.scan``, ``.digest``, ``.report``, ``.review``, ``.ask``…),
the shared helpers in ``bot.cli.common``. Exit codes: 0 success, 1 runtime failure (one-line
reason on stderr), 2 bad usage (typer/click). Every command that touches the database applies the
migrations first. A command imports what it needs when it runs, so `liqbot scan` never loads
Slack.
"""

from __future__ import annotations

import typer

from bot.cli import (
    ask,
    db,
    demo,
    digest,
    manifest,
    outreach,
    record,
    report,
    review,
    scan,
    serve,
    supply,
)

app = typer.Typer(
    name="liqbot",
    help="liqbot: token liquidity, at-risk digest and outreach log for exchange risk teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("scan")(scan.scan)
app.command("record")(record.record)
app.command("digest")(digest.digest)
app.command("report")(report.report)
app.command("ask")(ask.ask_command)
app.command("serve")(serve.serve)
app.command("manifest")(manifest.manifest)
app.add_typer(db.app, name="db")
app.add_typer(supply.app, name="supply")
app.add_typer(outreach.app, name="outreach")
app.add_typer(demo.demo_app, name="demo", hidden=True)
app.add_typer(review.app, name="review")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
