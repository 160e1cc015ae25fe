"""A new scenario file to start a study from: every parameter, commented out, with its meaning,
the values it accepts and its default (``aggsim new``; docs/guide/run.md).

The file sets only its name and description; a line uncommented changes that parameter from the
built-in baseline's value. With ``sweep``, it also holds a ``[sweep]`` table that ``aggsim
sweep FILE`` runs. It loads, as written, to the built-in baseline under its own name.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sim import __version__
from sim.scenario.files import describe, toml_value
from sim.scenario.schema import ParameterInfo, parameter_table

#: The [sweep] table a new study starts with: one factor, a few replications.
SWEEP_TABLE = """
# The sweep `aggsim sweep FILE` runs: each varied parameter's values (a range start:stop:count,
# a list "0.1,0.5,0.9" or "none,tiered", or bounds "low..high" with design = "lhs" or "sobol"),
# every point with `reps` replications on common random numbers.
[sweep]
reps = 4
# design = "grid"          # grid (default), lhs or sobol
# samples = 32             # points of an lhs or sobol design

[sweep.vary]
"aggregator.intermediation" = "0:1:5"   # five values from 0 to 1
# "recovery.policy" = "none,match_expectation"
"""


def scenario_template(name: str, *, sweep: bool = False) -> str:
    """The text of a new scenario file named ``name`` (a sweep study with ``sweep``)."""
    lines = [
        f"# {name}: a scenario of aggsim {__version__}, written by `aggsim new` on "
        f"{datetime.now(UTC):%Y-%m-%d}.",
        "# Every parameter below is commented out and keeps the built-in baseline's value; remove",
        "# the '# ' before a line to change it (a '## ' line says what it means). Check the file",
        "# with `aggsim check FILE`, run it with `aggsim run FILE`"
        + (" or `aggsim sweep FILE`." if sweep else "."),
        "",
        f"name = {toml_value(name)}",
        'description = "What this scenario is for: the platform, the question, the source."',
    ]
    tables: dict[str, list[ParameterInfo]] = {}  # each table once, its keys together
    for row in parameter_table():
        if "." in row.key:
            tables.setdefault(row.key.rsplit(".", 1)[0], []).append(row)
    for table, members in tables.items():
        lines += ["", f"[{table}]"]
        for row in members:
            lines += _commented(row)
    if sweep:
        lines.append(SWEEP_TABLE.rstrip("\n"))
    return "\n".join(lines) + "\n"


def _commented(row: ParameterInfo) -> list[str]:
    unit = f"; {row.unit}" if row.unit else ""
    return [
        f"## {row.meaning} ({describe(row)}{unit})",
        f"# {row.key.rsplit('.', 1)[1]} = {toml_value(row.default)}",
    ]
