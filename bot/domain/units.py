"""Short human-readable figures for risk reasons, Slack answers and the CLI table.

One formatter per kind of number, so "$4.3k" reads the same in a digest row, a `/liquidity`
answer and a risk reason. Unknown values (``None``, NaN, infinity) print as ``n/a``.
"""

from __future__ import annotations

import math

NA = "n/a"

# Largest first: the first suffix whose size the (rounded) value reaches is used.
_SUFFIXES: tuple[tuple[float, str], ...] = (
    (1e12, "T"),
    (1e9, "B"),
    (1e6, "M"),
    (1e3, "k"),
)


def _known(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _fixed(magnitude: float, significant: int = 3) -> str:
    """``significant`` digits of a positive number below 1, in fixed notation: 0.00000123 ->
    "0.00000123" (never "1.23e-06" in a Slack message)."""
    decimals = significant - 1 - math.floor(math.log10(magnitude))
    return f"{magnitude:.{decimals}f}".rstrip("0").rstrip(".")


def _compact(value: float, significant: int = 3) -> str:
    """``significant`` digits (3 by default) with a k/M/B/T suffix: 4300 -> "4.3k",
    1_250_000 -> "1.25M"."""
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude < 1:
        return f"{sign}{_fixed(magnitude, significant)}"
    # Round before choosing the suffix, so 999_999 reads "1M" and not "1000k".
    rounded = float(f"{magnitude:.{significant}g}")
    for size, suffix in _SUFFIXES:
        if rounded >= size:
            scaled = rounded / size
            text = f"{scaled:,.0f}" if scaled >= 1000 else f"{scaled:.{significant}g}"
            return f"{sign}{text}{suffix}"
    return f"{sign}{rounded:.{significant}g}"


def _plain(value: float, significant: int) -> str:
    """At least ``significant`` significant digits in fixed notation, thousands separated, no
    trailing zeros: (100.04, 5) -> "100.04", (277.3, 3) -> "277", (9.996, 3) -> "10"."""
    if value == 0:
        return "0"
    decimals = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def digits_apart(value: float, threshold: float) -> int:
    """The fewest significant digits (3 or more) at which ``value`` and ``threshold``, both
    rounded, still differ and stay in the same order: a reason never reads "$50k < $50k"
    (49,960 vs 50,000 -> 4: "$49.96k < $50k")."""
    for significant in range(3, 16):
        shown = float(f"{value:.{significant}g}")
        limit = float(f"{threshold:.{significant}g}")
        if shown != limit and (shown < limit) == (value < threshold):
            return significant
    return 16


def fmt_usd(value: float | None, significant: int = 3) -> str:
    """A USD amount in 3 (or ``significant``) significant digits: 950 -> "$950", 4300 ->
    "$4.3k", 1.25e6 -> "$1.25M"."""
    if value is None or not _known(value):
        return NA
    text = _compact(value, significant)
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def fmt_amount(tokens: float | None) -> str:
    """A token amount (base units) in 3 significant digits: 12_345_678 -> "12.3M"."""
    if tokens is None or not _known(tokens):
        return NA
    return _compact(tokens)


def fmt_price(value: float | None) -> str:
    """A USD price, precise enough for micro-priced tokens: 0.00912 -> "$0.00912", 64123.5 ->
    "$64,124", 1.2345 -> "$1.234"."""
    if value is None or not _known(value):
        return NA
    magnitude = abs(value)
    sign = "-" if value < 0 else ""
    if magnitude >= 1000:
        return f"{sign}${magnitude:,.0f}"
    if magnitude >= 1:
        return f"{sign}${magnitude:.4g}"
    if magnitude == 0:
        return "$0"
    return f"{sign}${_fixed(magnitude)}"


def fmt_bps(value: float | None, significant: int | None = None) -> str:
    """Basis points: 12.345 -> "12.3 bps"; from 100 bps on without decimals ("180 bps"). With
    ``significant``, at least that many significant digits (100.04, 5 -> "100.04 bps")."""
    if value is None or not _known(value):
        return NA
    if significant is not None:
        return f"{_plain(value, significant)} bps"
    if abs(value) >= 100:
        return f"{value:,.0f} bps"
    return f"{value:.1f} bps"


def fmt_pct(fraction: float | None, digits: int = 1, significant: int | None = None) -> str:
    """A fraction as a percentage with ``digits`` decimals: 0.0412 -> "4.1%"; with
    ``significant``, that many significant digits instead (0.0999, 3 -> "9.99%")."""
    if fraction is None or not _known(fraction):
        return NA
    if significant is not None:
        return f"{_plain(fraction * 100, significant)}%"
    return f"{fraction * 100:.{digits}f}%"


def fmt_ratio(value: float | None, significant: int | None = None) -> str:
    """A multiple: 180.4 -> "180×", 2.35 -> "2.4×", 0.123 -> "0.12×"; with ``significant``, at
    least that many significant digits (50.4, 3 -> "50.4×")."""
    if value is None or not _known(value):
        return NA
    if significant is not None:
        return f"{_plain(value, significant)}×"
    if abs(value) >= 10:
        return f"{value:,.0f}×"
    if abs(value) >= 1:
        return f"{value:.1f}×"
    return f"{value:.2g}×"


def rounded(value: float | None, unit: str) -> float | int | None:
    """``value`` rounded to what a spreadsheet reader needs, by ``unit``: ``tokens`` whole from
    1,000 on (else 4 significant digits), ``usd`` whole dollars from $1,000 on (else cents),
    ``price`` 6 significant digits, ``pct`` 4 decimals, ``bps`` 1 decimal. Unknown stays None."""
    if value is None or not _known(value):
        return None
    magnitude = abs(value)
    if unit == "tokens":
        return round(value) if magnitude >= 1000 else float(f"{value:.4g}")
    if unit == "usd":
        return round(value) if magnitude >= 1000 else round(value, 2)
    if unit == "price":
        return float(f"{value:.6g}")
    if unit == "pct":
        return round(value, 4)
    if unit == "bps":
        return round(value, 1)
    raise ValueError(f"unknown unit {unit!r}")
