"""Cost estimates as a terminal table (rich), Markdown (``cdk.out/cost-<env>.md``, job summaries) and JSON."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from emr_constructs.cli.cost.estimate import HOURS_30_DAYS, ZERO, Assumptions, Estimate, Levels
from emr_constructs.cli.cost.prices import PriceTable

INCOMPLETE = "*"


def money(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.995 or value == 0 else f"${value:,.4f}"


def _cells(hourly: Levels) -> list[str]:
    month = hourly.scaled(HOURS_30_DAYS)
    return [money(v) for v in (hourly.minimum, hourly.expected, hourly.maximum)] + [
        money(v) for v in (month.minimum, month.expected, month.maximum)
    ]


HEADERS = ["stack", "resource", "kind", "min/h", "exp/h", "max/h", "min/30d", "exp/30d", "max/30d"]


def _rows(estimate: Estimate) -> list[list[str]]:
    rows = []
    stacks = estimate.stacks()
    for stack, subtotal in stacks.items():
        for item in (i for i in estimate.items if i.stack == stack):
            mark = INCOMPLETE if not item.complete else ""
            rows.append([stack, item.resource + mark, item.kind, *_cells(item.hourly)])
        rows.append([stack, "", "stack total", *_cells(subtotal)])
    return rows


def _footer(estimate: Estimate, table: PriceTable, assumptions: Assumptions) -> list[str]:
    lines = [f"Prices: {table.origin}, dated {table.date}. Source: {table.source}"]
    lines += [f"Assumption: {a}" for a in assumptions.describe()]
    if estimate.missing:
        lines.append(
            f"{INCOMPLETE} Not priced (missing from the price table, left out of the figures, NOT zero): "
            + "; ".join(estimate.missing)
            + ". Add them to a --prices file or run --refresh-prices."
        )
    lines += [f"Note: {n}" for n in estimate.notes]
    return lines


def text(estimates: Sequence[Estimate], table: PriceTable, assumptions: Assumptions, width: int = 160) -> str:
    from rich.console import Console  # imported here: only `cost` needs rich
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    for estimate in estimates:
        grid = Table(title=f"Environment {estimate.environment} ({estimate.region}), USD", title_justify="left")
        for header in HEADERS:
            grid.add_column(header, justify="right" if "/" in header else "left")
        for row in _rows(estimate):
            grid.add_row(*row, style="bold" if row[2] == "stack total" else None)
        grid.add_row("TOTAL", "", "", *_cells(estimate.total), style="bold")
        console.print(grid)
        for line in _footer(estimate, table, assumptions):
            console.print(line, soft_wrap=True, highlight=False, markup=False)
        console.print()
    return buffer.getvalue()


def markdown(estimate: Estimate, table: PriceTable, assumptions: Assumptions) -> str:
    lines = [
        f"# Cost of environment `{estimate.environment}` ({estimate.region})",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---:" if "/" in h else "---" for h in HEADERS) + "|",
    ]
    for row in _rows(estimate):
        cells = [f"**{c}**" if row[2] == "stack total" and c else c for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("| **TOTAL** | | | " + " | ".join(f"**{c}**" for c in _cells(estimate.total)) + " |")
    lines.append("")
    lines += [f"- {line}" for line in _footer(estimate, table, assumptions)]
    return "\n".join(lines) + "\n"


def _levels_json(hourly: Levels) -> dict[str, Any]:
    month = hourly.scaled(HOURS_30_DAYS)
    return {
        "hourly": {"min": hourly.minimum, "expected": hourly.expected, "max": hourly.maximum},
        "30_days": {"min": month.minimum, "expected": month.expected, "max": month.maximum},
    }


def to_json(estimates: Sequence[Estimate], table: PriceTable, assumptions: Assumptions) -> dict[str, Any]:
    return {
        "currency": "USD",
        "prices": {"origin": table.origin, "date": table.date, "source": table.source},
        "assumptions": assumptions.describe(),
        "environments": [
            {
                "environment": e.environment,
                "region": e.region,
                "total": _levels_json(e.total),
                "stacks": {name: _levels_json(levels) for name, levels in e.stacks().items()},
                "items": [
                    {
                        "stack": i.stack,
                        "resource": i.resource,
                        "kind": i.kind,
                        "detail": i.detail,
                        "complete": i.complete,
                        "missing": list(i.missing),
                        **_levels_json(i.hourly),
                    }
                    for i in e.items
                ],
                "missing": e.missing,
                "notes": e.notes,
            }
            for e in estimates
        ],
    }


def compare(base: Sequence[Estimate], head: Sequence[Estimate]) -> str:
    """Markdown: 30-day cost per environment and stack, base beside head, with the difference."""
    before = {(e.environment, s): v for e in base for s, v in [*e.stacks().items(), ("TOTAL", e.total)]}
    after = {(e.environment, s): v for e in head for s, v in [*e.stacks().items(), ("TOTAL", e.total)]}
    keys = list(dict.fromkeys([*before, *after]))
    lines = [
        "# Cost: base vs head (30 days, USD)",
        "",
        "| environment | stack | base expected | head expected | difference | base max | head max | difference |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key in sorted(keys, key=lambda k: (k[0], k[1] == "TOTAL", k[1])):
        old = before.get(key, ZERO).scaled(HOURS_30_DAYS)
        new = after.get(key, ZERO).scaled(HOURS_30_DAYS)
        env, stack = key
        name = f"**{stack}**" if stack == "TOTAL" else stack
        lines.append(
            f"| {env} | {name} | {money(old.expected)} | {money(new.expected)} | {_delta(new.expected - old.expected)}"
            f" | {money(old.maximum)} | {money(new.maximum)} | {_delta(new.maximum - old.maximum)} |"
        )
    return "\n".join(lines) + "\n"


def _delta(value: float) -> str:
    if abs(value) < 0.005:
        return "$0.00"
    return ("+" if value > 0 else "-") + money(abs(value))
