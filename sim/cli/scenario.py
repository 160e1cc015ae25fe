"""``aggsim check``, ``aggsim params`` and ``aggsim schema``: a scenario file checked, every
parameter listed, and the JSON Schema of scenario files."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import add_set_option, default_workers, terminal_columns


def add_commands(commands) -> None:
    """Add ``check``, ``params`` and ``schema`` to ``aggsim``'s sub-commands."""
    check = commands.add_parser(
        "check",
        help="check a scenario file's keys and values without running it (aggsim validate "
        "checks the model against evidence)",
        description="Check a scenario file (and its [sweep] table) without running it: every "
        "key known and every value in its range, or one line naming the file, the key and "
        "what it expects; then print the size of what it would run: runs, orders, CPU time and "
        "memory. (aggsim validate is another thing: the model's patterns against evidence.)",
    )
    check.add_argument("scenario", type=Path, help="scenario file (TOML)")
    add_set_option(check)

    params = commands.add_parser(
        "params",
        help="list every parameter: key, default, range, unit",
        description="List every scenario parameter with its default, accepted values, unit and "
        "meaning.",
    )
    params.add_argument(
        "--format",
        choices=("table", "markdown", "json"),
        default="table",
        help="table (default: one line each, fitted to the terminal), markdown or json",
    )

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description="Print the JSON Schema of scenario files, for editors that validate TOML "
        "(e.g. with Taplo or Even Better TOML).",
    )
    check.set_defaults(handler=command_check)
    params.set_defaults(handler=command_params)
    schema.set_defaults(handler=command_schema)


def command_check(args: argparse.Namespace) -> int:
    from sim.experiments.budget import check_budget, estimate
    from sim.scenario.files import load_study

    scenario, sweep = load_study(args.scenario, args.overrides)
    workers = default_workers()
    if sweep is not None:
        from sim.experiments.sweep import most_replications, plan_sweep

        plan = plan_sweep(scenario, sweep, [], None, None, None, None)
        points = plan.points()
        print(
            f"{args.scenario}: valid scenario {scenario.name!r} with a sweep of "
            f"{len(points)} points x {plan.replications} replications"
        )
        budget = estimate(
            scenario, points, most_replications(plan.definition()), workers, collected=False
        )
    else:
        print(f"{args.scenario}: valid scenario {scenario.name!r}")
        budget = estimate(scenario, replications=scenario.run.replications, workers=workers)
    print(f"size: {budget} with {workers} worker(s)")
    check_budget(budget, force=False, remedy="give the command that runs it --force")
    return 0


def command_params(args: argparse.Namespace) -> int:
    import json

    from sim.outputs.reference import format_default
    from sim.scenario import parameter_table
    from sim.scenario.files import describe

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
        from sim.outputs.reference import parameter_rows

        print("\n".join(parameter_rows()))
    else:
        import textwrap

        columns = terminal_columns()
        for r in rows:
            unit = f" [{r.unit}]" if r.unit else ""
            line = f"{r.key} = {format_default(r.default)}"
            print(textwrap.shorten(line, columns, placeholder=" …"))
            print(
                textwrap.fill(
                    f"{r.meaning}{unit}; {describe(r)}",
                    width=columns,
                    initial_indent="    ",
                    subsequent_indent="    ",
                )
            )
    return 0


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
