"""`liqbot db upgrade`: apply the database migrations (Alembic)."""

from __future__ import annotations

import typer

from bot.cli.common import migrate, out, settings_or_exit

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (Alembic)."""
    settings = settings_or_exit()
    migrate(settings)
    out.print("database is up to date")
