"""CSV for people: what `liqbot outreach export` prints, safe to open in a spreadsheet and to
print in a terminal.

Every text cell goes through ``bot.domain.text_safety``: control characters (terminal escape
sequences) are shown escaped, and a cell a spreadsheet would run as a formula (``=HYPERLINK(…)``,
``+``, ``-``, ``@``, tab, carriage return first) gets a leading single quote (OWASP). Numbers
stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.text_safety import spreadsheet_cell, terminal_text


def safe_cell(value: Any) -> Any:
    """One CSV cell: text made terminal- and spreadsheet-safe, anything else unchanged."""
    return spreadsheet_cell(terminal_text(value)) if isinstance(value, str) else value


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """``rows`` as CSV with a header: ``columns`` first (even with no rows), then any other key
    the rows carry, in order of appearance."""
    header = list(columns)
    for row in rows:
        header.extend(key for key in row if key not in header)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()
