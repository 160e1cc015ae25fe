"""The ``aggsim`` command.

Heavy modules (numpy, pandas, simpy, matplotlib) are imported inside the commands, so
``aggsim --help`` answers at once. Errors a user can cause end in one line and exit code 2;
Ctrl-C ends with exit code 130 and leaves only complete files.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sim.errors import UserError

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130

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


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 2^63 - 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="aggsim",
        description="Simulate service failures on an aggregator platform: blame, compensation, "
        "punishment, recovery and churn.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )

    run = commands.add_parser(
        "run",
        help="run replications of a scenario and write the results",
        description="Run replications of a scenario (the built-in baseline when none is given) "
        "and write the results to a folder.",
    )
    run.add_argument("scenario", nargs="?", type=Path, help="scenario file (TOML)")
    run.add_argument("--reps", type=positive_int, help="replications (default: run.replications)")
    run.add_argument("--seed", type=seed_value, help="root seed (default: run.seed)")
    add_set_option(run)
    run.add_argument("--out", type=Path, help="output folder (default: results/<name>/<UTC time>/)")
    run.add_argument("--trace", action="store_true", help="also write one row per failure episode")
    run.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores); results do not depend on it",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar and no KPI table")

    check = commands.add_parser("check", help="validate a scenario file without running it")
    check.add_argument("scenario", type=Path, help="scenario file (TOML)")
    add_set_option(check)

    params = commands.add_parser("params", help="list every parameter: key, default, range, unit")
    params.add_argument("--format", choices=("table", "markdown", "json"), default="table")

    commands.add_parser("schema", help="print the JSON Schema of scenario files")
    return parser


def add_set_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter, e.g. --set aggregator.intermediation=0.9 (repeatable)",
    )


# ---------------------------------------------------------------------- commands


def command_run(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.scenario_files import load_scenario

    overrides = list(args.overrides)
    if args.seed is not None:
        overrides.append(f"run.seed={args.seed}")
    if args.reps is not None:
        overrides.append(f"run.replications={args.reps}")
    scenario = load_scenario(args.scenario, overrides)
    folder = prepare_output_folder(args.out, scenario.name)

    from tqdm import tqdm

    from sim.experiment import run_replications
    from sim.results import replications_table, summarise, write_run_folder

    started = datetime.now(UTC)
    reps = scenario.run.replications
    with tqdm(
        total=reps,
        desc=scenario.name,
        unit="rep",
        file=sys.stderr,
        delay=0.5,
        disable=args.quiet or not sys.stderr.isatty(),
    ) as bar:
        runs = run_replications(
            scenario,
            range(reps),
            workers=args.workers,
            trace=args.trace,
            on_done=lambda _: bar.update(),
        )
    extra = {
        "scenario_file": str(args.scenario) if args.scenario else None,
        "overrides": overrides,
        "workers": args.workers,
    }
    write_run_folder(folder, scenario, runs, args.trace, started, extra)
    if not args.quiet:
        summary = summarise(replications_table(r.result.kpis for r in runs)).set_index("kpi")
        print_headline(summary)
    print(f"results: {folder}")
    return 0


def prepare_output_folder(out: Path | None, scenario_name: str) -> Path:
    from sim.results import default_run_folder, holds_results

    folder = out if out is not None else default_run_folder(scenario_name)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: --out: expected a folder, found a file")
    if holds_results(folder):
        raise UserError(f"{folder}: --out: already holds the results of a run; choose another")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{folder}: --out: cannot create the folder ({error.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise UserError(f"{folder}: --out: the folder is not writable")
    return folder


def print_headline(summary) -> None:
    print(f"{'kpi':36s} {'mean':>12s} {'95% CI':>27s}")
    for kpi in HEADLINE_KPIS:
        row = summary.loc[kpi]
        print(f"{kpi:36s} {row['mean']:12.4g}   [{row.ci_low:11.4g}, {row.ci_high:11.4g}]")


def command_check(args: argparse.Namespace) -> int:
    from sim.scenario_files import load_scenario

    scenario = load_scenario(args.scenario, args.overrides)
    print(f"{args.scenario}: valid scenario {scenario.name!r}")
    return 0


def command_params(args: argparse.Namespace) -> int:
    import json

    from sim.scenario import parameter_table
    from sim.scenario_files import describe

    rows = parameter_table()
    if args.format == "json":
        records = [
            {
                "key": r.key,
                "default": r.default,
                "minimum": r.minimum,
                "maximum": r.maximum,
                "unit": r.unit,
                "choices": r.choices,
                "meaning": r.meaning,
            }
            for r in rows
        ]
        print(json.dumps(records, indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print("| key | default | accepts | unit | meaning |")
        print("|---|---|---|---|---|")
        for r in rows:
            print(
                f"| `{r.key}` | {format_default(r.default)} | {describe(r)} | {r.unit} | "
                f"{r.meaning} |"
            )
    else:
        width = max(len(r.key) for r in rows)
        for r in rows:
            unit = f" [{r.unit}]" if r.unit else ""
            print(
                f"{r.key:{width}s}  {format_default(r.default):>10s}  {r.meaning}{unit}; "
                f"{describe(r)}"
            )
    return 0


def format_default(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return f"[{len(value)} values]"
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value:g}" if isinstance(value, float) else str(value)


def command_schema(args: argparse.Namespace) -> int:
    import json

    from sim.scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["title"] = "aggsim scenario"
    schema["properties"] = {
        "extends": {"type": "string", "description": "a scenario file this one builds on"},
        **schema["properties"],
    }
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


COMMANDS = {
    "run": command_run,
    "check": command_check,
    "params": command_params,
    "schema": command_schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UserError as error:
        print(f"aggsim: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("aggsim: interrupted; files already written are complete", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
