"""Text made safe for the database, a spreadsheet and a terminal (bot.domain.text_safety)."""

from __future__ import annotations

import pytest

from bot.domain.text_safety import spreadsheet_cell, terminal_text, unstorable_reason


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("https://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(cell: str) -> None:
    assert spreadsheet_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["PEPE", "a = b", "币安人生", "", 3.5, -2, None, "'=already"])
def test_other_cells_are_unchanged(cell: object) -> None:
    assert spreadsheet_cell(cell) == cell


def test_control_characters_are_shown_escaped_for_a_terminal() -> None:
    note = "red \x1b[31malert\x1b[0m, csi \x9b2J, bell \x07, del \x7f, cr\rover"
    assert terminal_text(note) == (
        "red \\x1b[31malert\\x1b[0m, csi \\x9b2J, bell \\x07, del \\x7f, cr\\x0dover"
    )
    assert terminal_text("line one\r\nline two\n\tindented 币安人生") == (
        "line one\nline two\n\tindented 币安人生"
    )


def test_what_the_database_cannot_store_is_named() -> None:
    assert unstorable_reason("fine 币安人生 \x1b") is None
    assert unstorable_reason("a\x00b") == "contains a NUL character"
    assert unstorable_reason("a\udfffb") == (
        "contains an unpaired surrogate (U+DFFF), not valid Unicode"
    )
