"""Text from outside (files, modals, exchanges) made safe for where it goes next.

- The database: PostgreSQL text cannot hold a NUL character, and no UTF-8 encoder takes an
  unpaired surrogate (JSON's ``"\\ud800"`` escape decodes to one); ``unstorable_reason`` names
  the fault so the input is refused up front, naming where it came from, instead of failing a
  whole import with a driver error.
- A spreadsheet: a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is read as a formula (``=HYPERLINK(…)`` becomes a live link); ``spreadsheet_cell``
  prefixes such a cell with a single quote, as OWASP's "CSV Injection" page recommends.
- A terminal: escape sequences (ESC, other C0 and C1 controls) in user text could recolour,
  retitle or rewrite the operator's terminal; ``terminal_text`` shows them as ``\\x1b`` instead.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls except tab and newline, DEL, and the C1 controls (U+0080–U+009F, e.g. CSI U+009B).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def unstorable_reason(text: str) -> str | None:
    """Why the database cannot store ``text`` (NUL, unpaired surrogate), or None if it can."""
    if "\x00" in text:
        return "contains a NUL character"
    found = _SURROGATE.search(text)
    if found is not None:
        return f"contains an unpaired surrogate (U+{ord(found.group()):04X}), not valid Unicode"
    return None


def spreadsheet_cell(value: object) -> object:
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula gets a leading
    single quote; numbers, None and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def terminal_text(text: str) -> str:
    """``text`` for a terminal: control characters other than newline and tab (ESC, BEL, CSI,
    carriage return, …) are shown escaped (``\\x1b``), never sent raw."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\r\n", "\n"))
