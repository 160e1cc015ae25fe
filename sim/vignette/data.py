"""Reading a vignette dataset against its codebook (MODEL.md 12.6): every problem is one line
naming the file, the column and what was expected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.vignette.design import Design

#: Largest dataset read, in bytes: a study, not a census.
MAX_BYTES = 500_000_000


def read_dataset(path: Path, design: Design) -> pd.DataFrame:
    """The dataset with its condition columns as text and its items as numbers, checked: every
    column the codebook names is there, every condition code is one of its factor's, every answer
    is a whole number on its scale (or empty), and within subjects a ``respondent`` column says
    whose answers are whose."""
    table = _read(path)
    where = str(path)
    needed = [f.column for f in design.factors] + [c for m in design.measures for c in m.items]
    if design.subjects == "within":
        needed.append("respondent")
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise UserError(
            f"{where}: column {missing[0]!r}: named by the codebook but not in the data "
            f"({len(missing)} missing; the data have {', '.join(map(str, table.columns[:8]))}"
            f"{', ...' if len(table.columns) > 8 else ''})"
        )
    if table.empty:
        raise UserError(f"{where}: no rows")
    for f in design.factors:
        codes = table[f.column].astype("string")
        unknown = sorted(set(codes.dropna()) - set(f.codes))
        if unknown or codes.isna().any():
            found = repr(unknown[0]) if unknown else "an empty cell"
            raise UserError(
                f"{where}: column {f.column!r}: {found} is not a level of {f.key} "
                f"(expected {', '.join(f.codes)})"
            )
        table[f.column] = codes
    for m in design.measures:
        for column in m.items:
            values = pd.to_numeric(table[column], errors="coerce")
            bad = values.isna() & table[column].notna()
            if bad.any():
                raise UserError(
                    f"{where}: column {column!r}: {table[column][bad].iloc[0]!r} is not a number"
                )
            given = values.dropna().to_numpy()
            if not len(given):
                raise UserError(f"{where}: column {column!r}: no answers (every cell is empty)")
            outside = (given < 1) | (given > m.points) | (given != np.round(given))
            if outside.any():
                raise UserError(
                    f"{where}: column {column!r}: {given[outside][0]:g} is not an answer of the "
                    f"{m.points}-point scale (1 to {m.points})"
                )
            table[column] = values.astype(float)
    _check_conditions(table, design, where)
    _check_respondents(table, design, where)
    return table


def _check_respondents(table: pd.DataFrame, design: Design, where: str) -> None:
    """A ``respondent`` column, when there is one, names each respondent once (between
    subjects) or once in each condition (within subjects)."""
    if "respondent" not in table.columns:
        return
    keys = ["respondent"] + (
        [f.column for f in design.factors] if design.subjects == "within" else []
    )
    repeated = table.duplicated(keys, keep=False)
    if repeated.any():
        first = table[repeated].iloc[0]
        condition = (
            " in the condition "
            + ", ".join(f"{f.column} = {first[f.column]}" for f in design.factors)
            if design.subjects == "within"
            else ""
        )
        raise UserError(
            f"{where}: column 'respondent': {first['respondent']!r} is in more than one row"
            f"{condition}; each respondent answers once"
            + (" in each condition" if design.subjects == "within" else "")
        )


def _check_conditions(table: pd.DataFrame, design: Design, where: str) -> None:
    """Every condition of the design answered by two respondents at least."""
    counts = table.groupby([f.column for f in design.factors]).size()
    for cell in design.cells:
        codes = tuple(
            f.code_of(level) for f, level in zip(design.factors, cell.levels, strict=True)
        )
        found = int(counts.get(codes if len(codes) > 1 else codes[0], 0))
        if found < 2:
            described = ", ".join(
                f"{f.column} = {code}" for f, code in zip(design.factors, codes, strict=True)
            )
            raise UserError(
                f"{where}: the condition {described} has {found} rows; every condition of the "
                "design needs two respondents at least"
            )


def _read(path: Path) -> pd.DataFrame:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror})") from None
    if not path.is_file():
        raise UserError(f"{path}: expected a CSV or Parquet file")
    if size > MAX_BYTES:
        raise UserError(f"{path}: {size:,} bytes; a dataset is at most {MAX_BYTES:,}")
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype=str, keep_default_na=True)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        first = (str(error).splitlines() or [""])[0][:160]
        raise UserError(
            f"{path}: cannot read as {'Parquet' if path.suffix == '.parquet' else 'CSV'} ({first})"
        ) from None
