"""`python -m bot.cli`: the same entry point as the `liqbot` console script."""

from bot.cli import main

main()
