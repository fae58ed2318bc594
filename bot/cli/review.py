"""`liqbot review pack TOKEN --out DIR`: a token's monitoring-tag evidence pack written as files
(the same four the "Evidence pack" button of `/review` uploads)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import err, fail, migrate, run, settings_or_exit, with_services

app = typer.Typer(help="The monitoring-tag review.", no_args_is_help=True)


@app.command("pack")
def review_pack_command(
    token: Annotated[str, typer.Argument(help="The token, e.g. PEPE.")],
    out: Annotated[Path, typer.Option("--out", help="The folder to write the files into.")],
) -> None:
    """Write the token's evidence pack: daily metrics CSV, case timeline CSV, history chart PNG
    and a one-page summary (Markdown)."""
    from commands.review import evidence_files

    settings = settings_or_exit()
    migrate(settings)
    files = run(lambda: with_services(settings, lambda s: evidence_files(s, token)))
    try:
        out.mkdir(parents=True, exist_ok=True)
        for file in files:
            (out / file.filename).write_bytes(file.content)
    except OSError as exc:
        raise fail(f"cannot write the evidence pack to {out}: {exc.strerror}") from None
    for file in files:
        err.print(f"wrote {out / file.filename}", markup=False, highlight=False, soft_wrap=True)
