"""Text from outside (files, modals, exchanges) made safe for where it goes next.

- The database: PostgreSQL text cannot hold a NUL character, and no UTF-8 encoder takes an
  unpaired surrogate (JSON's ``"\\ud800"`` escape decodes to one); ``unstorable_reason`` names
  the fault so the input is refused up front, naming where it came from, instead of failing a
  whole import with a driver error.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable_reason(text: str) -> str | None:
    """Why the database cannot store ``text`` (NUL, unpaired surrogate), or None if it can."""
    if "\x00" in text:
        return "contains a NUL character"
    found = _SURROGATE.search(text)
    if found is not None:
        return f"contains an unpaired surrogate (U+{ord(found.group()):04X}), not valid Unicode"
    return None
