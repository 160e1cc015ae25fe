"""The ``aggsim`` command.

Heavy modules (numpy, pandas, simpy) are imported inside the commands, so ``aggsim --help``
answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

HEADLINE_KPIS = (
    "orders",
    "failure_rate",
    "mean_perceived_control",
    "mean_aggregator_responsibility",
    "mean_provider_responsibility",
    "mean_expected_compensation_share",
    "mean_expected_punishment",
    "complaint_rate",
    "low_rating_rate",
    "customer_churn_rate",
    "mean_post_recovery_satisfaction",
    "compensation_paid_total",
    "aggregator_profit",
    "providers_sanctioned",
    "providers_exited",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aggsim",
        description="Simulate service failures on an aggregator platform: blame, compensation, "
        "punishment, recovery and churn.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="run replications of the baseline and print the KPIs")
    run.add_argument("--reps", type=int, help="replications (default: run.replications)")
    run.add_argument("--seed", type=int, help="root seed (default: run.seed)")
    run.add_argument("--days", type=float, help="horizon in days (default: run.days)")
    run.add_argument("--quiet", action="store_true", help="print nothing but the table")
    return parser


def command_run(args: argparse.Namespace) -> int:
    from sim.replication import run_replication
    from sim.results import replications_table, summarise
    from sim.scenario import Scenario

    overrides = {}
    if args.seed is not None:
        overrides["run.seed"] = args.seed
    if args.days is not None:
        overrides["run.days"] = args.days
    if args.reps is not None:
        overrides["run.replications"] = args.reps
    scenario = Scenario().with_values(**overrides)
    reps = scenario.run.replications
    if not args.quiet:
        print(
            f"scenario {scenario.name}: {reps} replication(s) of {scenario.run.days:g} days, "
            f"seed {scenario.run.seed}",
            file=sys.stderr,
        )
    rows = [run_replication(scenario, r).kpis for r in range(reps)]
    summary = summarise(replications_table(rows)).set_index("kpi").loc[list(HEADLINE_KPIS)]
    print(f"{'kpi':36s} {'mean':>12s} {'95% CI':>27s}")
    for kpi, row in summary.iterrows():
        print(f"{kpi:36s} {row['mean']:12.4g}   [{row.ci_low:11.4g}, {row.ci_high:11.4g}]")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return {"run": command_run}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
