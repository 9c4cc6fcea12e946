"""Runs side by side: each scenario's share of its own run's floor, latency and cost, per dataset size.

    .venv/bin/python -m bench.report bench/results/perf-10k-*.json bench/results/perf-1m-*.json

The last column is the growth goal's figure: the cost of a request (app and database CPU) in the
largest run over its cost in the smallest. CPU per request is what compares across runs on a shared
machine; requests/s only compares within a run, as its ratio to the floor.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def cost(r: dict[str, Any]) -> float:
    return float(r["app_cpu_ms"] + (r.get("db_cpu_ms") or 0))


def table(runs: list[dict[str, Any]]) -> str:
    names = [s["name"] for s in runs[0]["scenarios"] if not s["name"].startswith("floor")]
    head = " | ".join(f"{r['size']}: ×floor · p50/p99 ms · CPU ms" for r in runs)
    # Runs with cached reads and Redis counted their cache writes: in a read scenario, the pages computed.
    counted = any(s.get("cache_writes_pct") is not None for r in runs for s in r["scenarios"])
    sizes = " / ".join(r["size"] for r in runs)
    lines = [
        f"| scenario | {head} | cost {runs[-1]['size']} / {runs[0]['size']} |"
        + (f" cache writes % ({sizes}) |" if counted else ""),
        "| --- |" + " ---: |" * len(runs) + " ---: |" + (" ---: |" if counted else ""),
    ]
    floor = []
    for r in runs:
        f = [s for s in r["scenarios"] if s["name"].startswith("floor")]
        p99 = max(x["p99_us"] for x in f) / 1000
        floor.append(f"{r['floor_rps']:,.0f} req/s · {f[0]['p50_us'] / 1000:.0f}/{p99:.0f} · {cost(f[0]):.1f}")
    lines.append(f"| floor (bare view) | {' | '.join(floor)} | |" + (" |" if counted else ""))
    for name in names:
        cells, costs, writes = [], [], []
        for r in runs:
            found = next((s for s in r["scenarios"] if s["name"] == name), None)
            pct = found.get("cache_writes_pct") if found else None
            writes.append("–" if pct is None else f"{pct:.1f}")
            if found is None:
                cells.append("–")
                continue
            costs.append(cost(found))
            cells.append(
                f"{found['floor_ratio']:.2f} · {found['p50_us'] / 1000:.0f}/{found['p99_us'] / 1000:.0f} · "
                f"{found['app_cpu_ms']:.1f}+{found.get('db_cpu_ms') or 0:.1f}"
            )
        growth = f"{costs[-1] / costs[0]:.2f}" if len(costs) == len(runs) and costs[0] else "–"
        lines.append(f"| {name} | {' | '.join(cells)} | {growth} |" + (f" {' / '.join(writes)} |" if counted else ""))
    loads = ", ".join(f"{r['size']} {r['load_average_start'][0]:.1f}→{r['load_average_end'][0]:.1f}" for r in runs)
    lines += ["", f"Load average during the runs: {loads}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="RESULT.json", help="bench/results/perf-*.json")
    args = parser.parse_args()
    try:
        runs = [json.loads(p.read_text()) for p in args.files]
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    runs.sort(key=lambda r: r["tickets"])
    print(table(runs))


if __name__ == "__main__":
    main()
