"""The validation the documentation shows: the rows of ``aggsim validate`` on the built-in
baseline, kept in ``docs/cache/validation-baseline.csv`` and rendered into the validation guide
when the site is built (``docs/hooks.py``, with :func:`sim.validation.report.tables_markdown`).

Nothing is copied by hand. ``python -m sim.validation.published FOLDER`` merges the rows of a
validation folder into the file, in catalogue order: a full run refreshes every row, a run with
``--pattern`` only the patterns a change touched (a pattern's row depends on its own conditions
and seeds alone, so it is the same in a full run). A pattern no longer in the catalogue leaves the
file. A folder that is not the built-in baseline at the default replications is refused: the
guide shows the baseline.

Beside the rows, ``validation-baseline.json`` keeps the fingerprint of the code that wrote them
(:mod:`sim.validation.fingerprint`): that of a full run, or of a partial one made with the same
code as the rows it joins. Rows merged from a run of other code leave no fingerprint until a full
run: the tests accept the published rows only when their fingerprint is this code's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.errors import UserError
from sim.scenario import Scenario
from sim.validation import MOST_FACTOR, REPLICATIONS
from sim.validation.patterns import pattern_keys

#: The rows the validation guide shows, from the checkout's root.
FILE = Path("docs") / "cache" / "validation-baseline.csv"
#: Beside them, the fingerprint of the code that wrote them.
FINGERPRINT_FILE = FILE.with_suffix(".json")
#: The command whose folder refreshes them (``--pattern KEY`` for some patterns only).
COMMAND = "aggsim validate --out results/validation"


def baseline_rows(folder: Path) -> tuple[pd.DataFrame, str | None]:
    """The rows of ``validation.csv`` in ``folder`` and the fingerprint of the code that wrote
    them (None in a folder written before fingerprints), once its manifest shows a validation of
    the built-in baseline, unchanged, at the default replications."""
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise UserError(f"{path}: expected the manifest of an aggsim validate folder") from None
    if manifest.get("aggsim") != "validation":
        raise UserError(f"{path}: aggsim: expected a folder of aggsim validate")
    # The manifest's scenario carries the replications the validation ran (checked below).
    ran = manifest.get("replications")
    fits = isinstance(ran, int) and not isinstance(ran, bool) and 1 <= ran <= 100_000
    baseline = Scenario().with_values(**{"run.replications": ran}) if fits else None
    if (
        baseline is None
        or manifest.get("scenario") != baseline.model_dump(mode="json")
        or manifest.get("overrides")
    ):
        raise UserError(f"{path}: scenario: expected the built-in baseline, unchanged")
    if manifest.get("replications") != REPLICATIONS:
        raise UserError(f"{path}: replications: expected the default, {REPLICATIONS}")
    most = MOST_FACTOR * REPLICATIONS
    if manifest.get("most_replications") != most:
        raise UserError(f"{path}: most_replications: expected the default, {most}")
    return pd.read_csv(folder / "validation.csv"), manifest.get("code_fingerprint")


def published_fingerprint(into: Path = FILE) -> str | None:
    """The fingerprint of the code that wrote the published rows ``into`` (None: unknown)."""
    path = into.with_suffix(".json")
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("code_fingerprint")
    except (OSError, ValueError, AttributeError):
        return None


def merged_fingerprint(
    published: pd.DataFrame, before: str | None, fresh: pd.DataFrame, fingerprint: str | None
) -> str | None:
    """The fingerprint of the rows once ``fresh`` (written by code ``fingerprint``) is merged
    into ``published`` (by code ``before``): known when every row comes from the same code."""
    complete = set(pattern_keys()) <= set(fresh.key)
    same_code = not published.empty and before == fingerprint
    return fingerprint if complete or same_code else None


def merged(published: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """``published`` with the rows of ``fresh`` in place of its rows of the same patterns, in
    catalogue order, without patterns the catalogue no longer has."""
    order = {key: i for i, key in enumerate(pattern_keys())}
    rows = pd.concat([published[~published.key.isin(fresh.key)], fresh], ignore_index=True)
    rows = rows[rows.key.isin(order)]
    return rows.sort_values("key", key=lambda keys: keys.map(order)).reset_index(drop=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.validation.published",
        description="Merge the rows of an aggsim validate folder of the baseline into the "
        "validation the documentation shows.",
    )
    parser.add_argument("folder", type=Path, help=f"the folder of `{COMMAND}`")
    parser.add_argument("--into", type=Path, default=FILE, help=f"the file (default {FILE})")
    args = parser.parse_args(argv)
    try:
        fresh, fingerprint = baseline_rows(args.folder)
        published = pd.read_csv(args.into) if args.into.is_file() else fresh.iloc[:0]
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from sim.outputs.results import write_table, write_text

    known = merged_fingerprint(published, published_fingerprint(args.into), fresh, fingerprint)
    write_table(args.into, merged(published, fresh))
    write_text(args.into.with_suffix(".json"), json.dumps({"code_fingerprint": known}) + "\n")
    print(f"{len(fresh)} row(s) of {args.folder} merged into {args.into}")
    if known is None:
        print(
            "the rows now come from different versions of the code: refresh them all with "
            f"`{COMMAND}` and this command, or the tests will not accept them"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
