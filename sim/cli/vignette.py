"""The command line of vignette studies: ``aggsim vignette``, ``aggsim power`` and ``aggsim fit``
(MODEL.md 12)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import add_set_option, positive_int, seed_value, whole_number_from
from sim.errors import UserError

#: The fewest simulated studies a power is estimated from (its 95% interval then spans about a
#: third of the scale at a power of one half).
MIN_STUDIES = 10


def add_commands(commands) -> None:
    """Add the three commands to ``aggsim``'s sub-commands."""
    _add_vignette(commands).set_defaults(handler=command_vignette)
    _add_power(commands).set_defaults(handler=command_power)
    _add_fit(commands).set_defaults(handler=command_fit)


def _add_vignette(commands) -> argparse.ArgumentParser:
    vignette = commands.add_parser(
        "vignette",
        help="simulate a vignette study: respondents, Likert answers, codebook and analysis",
        description="Simulate the vignette experiment a design file describes: respondents drawn "
        "from the scenario's customers read a failure story in each condition, judge it with "
        "the model and answer Likert items. Writes the dataset (CSV and Parquet, one row per "
        "respondent, or per respondent and vignette within subjects), its codebook, the "
        "ANOVA of every measure and a t-test with Cohen's d for every named effect.",
    )
    vignette.add_argument("design", type=Path, help="the study's design file (TOML)")
    vignette.add_argument(
        "--n",
        type=whole_number_from(2),
        help="respondents per condition, at least 2 as in a design file (within subjects: in "
        "all; default: the design's)",
    )
    vignette.add_argument("--seed", type=seed_value, help="seed (default: the design's)")
    add_set_option(vignette)
    vignette.add_argument(
        "--out", type=Path, help="output folder (default: results/<design>/<UTC time>/)"
    )
    vignette.add_argument("--quiet", action="store_true", help="no table")
    return vignette


def _add_power(commands) -> argparse.ArgumentParser:
    power = commands.add_parser(
        "power",
        help="power of a vignette study by simulation, over sample sizes",
        description="Repeat the simulated study many times at each sample size and report, for "
        "each named effect, the share of repeats in which its test rejects (two-sided) at "
        "ALPHA, with the analytic t-test power where it applies, the sample size that reaches "
        "TARGET, and a figure.",
    )
    power.add_argument("design", type=Path, help="the study's design file (TOML)")
    power.add_argument(
        "--effect",
        action="append",
        default=[],
        metavar="KEY",
        help="an effect of the design (repeatable; default: all)",
    )
    power.add_argument(
        "--n",
        type=sizes_value,
        metavar="N,N,...",
        help="respondents per condition to try (default: 10,20,30,40,60,80,100,150,200)",
    )
    power.add_argument(
        "--studies",
        type=whole_number_from(MIN_STUDIES),
        default=1000,
        help=f"repeats per sample size, at least {MIN_STUDIES} (default 1000); the power's 95%% "
        "interval is Wilson's",
    )
    power.add_argument(
        "--force",
        action="store_true",
        help="start even when the estimated CPU time exceeds the limit of every command (24 h)",
    )
    power.add_argument("--alpha", type=share_value, default=0.05, help="test level (default 0.05)")
    power.add_argument("--target", type=share_value, default=0.8, help="power wanted (default 0.8)")
    power.add_argument("--seed", type=seed_value, help="seed (default: the design's)")
    add_set_option(power)
    power.add_argument(
        "--out", type=Path, help="output folder (default: results/<design>-power/<UTC time>/)"
    )
    power.add_argument("--quiet", action="store_true", help="no table")
    return power


def _add_fit(commands) -> argparse.ArgumentParser:
    fit = commands.add_parser(
        "fit",
        help="fit the judgement model's coefficients to a vignette dataset",
        description="Estimate, from a vignette dataset (conditions and Likert items), the "
        "coefficients of the judgement model the design identifies, by the method of simulated "
        "moments with standard errors, and write a scenario file with the fitted values (each "
        "with its 95% CI in a comment).",
    )
    fit.add_argument("data", type=Path, help="the dataset (CSV, or Parquet)")
    fit.add_argument(
        "--codebook",
        type=Path,
        required=True,
        help="codebook.json of aggsim vignette, or the study's design file naming its columns",
    )
    fit.add_argument(
        "--params",
        type=lambda text: [key.strip() for key in text.split(",") if key.strip()],
        metavar="KEY,KEY,...",
        help="the coefficients to fit (default: all the design identifies)",
    )
    fit.add_argument(
        "--pool",
        type=positive_int,
        default=400,
        help="simulated respondents per condition behind the model's moments (default 400)",
    )
    fit.add_argument("--seed", type=seed_value, default=1, help="seed of the pool (default 1)")
    fit.add_argument("--out", type=Path, help="write the fitted scenario to this TOML file")
    fit.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --out file, and start even when the estimated CPU time or "
        "memory exceeds the limits",
    )
    return fit


def sizes_value(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers like 10,20,40, got {text!r}"
        ) from None
    if not sizes or sizes[0] < 2 or sizes[-1] > 100_000:
        raise argparse.ArgumentTypeError(f"expected numbers from 2 to 100000, got {text!r}")
    return sizes


def share_value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text}")
    return value


def _design(args: argparse.Namespace):
    from sim.vignette.design import load_design

    design = load_design(args.design, args.overrides)
    if args.seed is not None:
        design = design.with_seed(args.seed)
    return design


def command_vignette(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.cli.options import prepare_output_folder
    from sim.scenario.files import name_from_file
    from sim.vignette.folder import write_study_folder
    from sim.vignette.simulate import simulate_study

    design = _design(args)
    if args.n is not None:
        design = design.with_respondents(args.n)
    folder = prepare_output_folder(args.out, name_from_file(args.design))
    started = datetime.now(UTC)
    study = simulate_study(design)
    extra = {"design_file": str(args.design), "overrides": args.overrides}
    anova, effects = write_study_folder(folder, study, started, extra)
    if not args.quiet:
        print_study(study, anova, effects)
    print(f"results: {folder}")
    return 0


def print_study(study, anova, effects) -> None:
    design = study.design
    people = len(study.data["respondent"].unique())
    print(f"{design.title}")
    print(
        f"{people} respondents, {len(design.cells)} conditions ({design.subjects} subjects), "
        f"seed {design.seed}"
    )
    for m in design.measures:
        print(
            f"  {m.name:16s} {m.construct:26s} {len(m.items)} items, {m.points} points, "
            f"alpha {study.alpha[m.name]:.2f}"
        )
    print("\nANOVA (partial eta squared)")
    for row in anova.itertuples():
        print(
            f"  {row.measure:16s} {row.term:44s} F({row.df:.0f}, {row.df_error:.0f}) = "
            f"{row.F:7.2f}  p {_p(row.p):>8s}  {row.partial_eta_squared:.3f}"
        )
    if len(effects):
        print("\nEffects (high - low; Cohen's d with 95% CI)")
        width = max(len(str(name)) for name in effects.effect)
        for row in effects.itertuples():
            verdict = f"  expected {row.expected}: {row.supported}" if row.expected else ""
            print(
                f"  {row.effect:{width}s} {row.measure:16s} {row.factor} {row.low} -> {row.high}: "
                f"{row.difference:+.2f}, d = {row.d:+.2f} [{row.d_ci_low:+.2f}, "
                f"{row.d_ci_high:+.2f}], p {_p(row.p)}{verdict}"
            )


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def command_power(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.cli.options import prepare_output_folder
    from sim.scenario.files import name_from_file
    from sim.vignette.power import (
        DEFAULT_SIZES,
        check_power_size,
        power_curves,
        write_power_folder,
    )

    design = _design(args)
    known = {e.name: e for e in design.effects}
    if not known:
        raise UserError(f"{args.design}: effects: the design names no effect to test")
    for key in args.effect:
        if key not in known:
            raise UserError(
                f"{args.design}: --effect: no effect {key!r}; the design has {', '.join(known)}"
            )
    effects = [known[k] for k in args.effect] if args.effect else list(known.values())
    sizes = args.n or list(DEFAULT_SIZES)
    for n in sizes:
        design.with_respondents(n)  # within the design's bounds
    check_power_size(design, effects, sizes, args.studies, force=args.force)
    folder = prepare_output_folder(args.out, f"{name_from_file(args.design)}-power")
    started = datetime.now(UTC)
    from sim.cli.progress import progress_bar

    total = len(effects) * len(sizes) * args.studies
    with progress_bar(quiet=args.quiet, total=total, description="power", unit="studies") as bar:
        result = power_curves(
            design,
            effects,
            sizes,
            studies=args.studies,
            alpha=args.alpha,
            target=args.target,
            on_studies=bar.update,
        )
    extra = {"design_file": str(args.design), "overrides": args.overrides}
    write_power_folder(folder, design, result, started, extra)
    if not args.quiet:
        print_power(result, args.target)
    print(f"results: {folder}")
    return 0


def print_power(result, target: float) -> None:
    for effect, curve in result.table.groupby("effect", sort=False):
        first = curve.iloc[0]
        print(
            f"{effect}: {first.measure}, {first.factor} {first.low} -> {first.high} "
            f"({first.test}, two-sided, alpha {first.alpha:g}, {first.studies} studies each)"
        )
        print(f"  {'n/cond.':>8s} {'total':>7s}  {'power':>6s}  95% CI          analytic")
        for row in curve.itertuples():
            analytic = (
                "" if row.analytic_power != row.analytic_power else f"{row.analytic_power:.3f}"
            )
            print(
                f"  {row.n_per_cell:8d} {row.respondents:7d}  {row.power:6.3f}  "
                f"{row.ci_low:.3f} to {row.ci_high:.3f}  {analytic}"
            )
        if curve.analytic_power.isna().all():
            print("  (no analytic power: the test pools the conditions of the other factors)")
        reached = result.reaching.set_index("effect").loc[effect]
        if reached.n_per_cell == reached.n_per_cell and reached.n_per_cell is not None:
            print(
                f"  power {target:g} from {int(reached.n_per_cell)} per condition "
                f"({int(reached.respondents)} respondents)\n"
            )
        else:
            print(f"  power {target:g} not reached at the sizes tried\n")


def command_fit(args: argparse.Namespace) -> int:
    from sim.vignette.codebook import read_codebook
    from sim.vignette.data import read_dataset
    from sim.vignette.fit import check_fit_size, fit_judgements
    from sim.vignette.fitted_scenario import check_fitted_place, write_fitted_scenario

    design = read_codebook(args.codebook)
    if args.out is not None:
        check_fitted_place(args.out, design, args.data, force=args.force)
    if args.data.is_file():
        check_fit_size(args.data.stat().st_size, design, args.pool, force=args.force)
    data = read_dataset(args.data, design)
    if args.params:
        from sim.vignette.fit import check_parameters

        check_parameters(args.params, design)
    from sim.cli.progress import progress_bar

    with progress_bar(quiet=False, total=None, description="fit", unit="evaluations") as bar:
        fitted = fit_judgements(
            data, design, args.params, pool=args.pool, seed=args.seed, on_evaluation=bar.update
        )
    print_fit(fitted, len(data))
    if args.out is not None:
        write_fitted_scenario(args.out, fitted, design, args.data, force=args.force)
        print(f"scenario: {args.out}")
    return 0


def print_fit(fitted, rows: int) -> None:
    print(f"Fitted to {rows} rows ({len(fitted.moments.values)} moments)")
    print(f"  {'parameter':44s} {'estimate':>9s}  {'95% CI':>19s}  {'default':>7s}")
    for row in fitted.table.itertuples():
        default = "" if row.default != row.default else f"{row.default:g}"
        flag = "  at its bound" if row.at_bound else ""
        print(
            f"  {row.parameter:44s} {row.estimate:9.3f}  {row.ci_low:8.3f} to {row.ci_high:7.3f}"
            f"  {default:>7s}{flag}"
        )
    rms = float((fitted.residuals**2).mean() ** 0.5)
    print(f"  moments off by {rms:.2f} standard errors (root mean square)")
