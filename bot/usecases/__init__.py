"""Use cases: one module per capability, plain data in and plain data out.

The Slack listeners (``commands``), the CLI (``bot.cli``) and the jobs (``jobs``) call these and
format the same result objects; nothing here knows about Block Kit or typer. Use cases reach the
database through ``bot.db`` repositories and the exchanges through ``bot.market``; the rules
themselves live in ``bot.domain``.
"""
