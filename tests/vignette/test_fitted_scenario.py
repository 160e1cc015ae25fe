"""The fitted scenario file loads back to the fitted values and says each one's CI
(MODEL.md 12.6)."""

from __future__ import annotations

import pytest

from sim.errors import UserError
from sim.scenario.files import load_scenario
from sim.vignette.design import load_design
from sim.vignette.fit import fit_judgements
from sim.vignette.fitted_scenario import write_fitted_scenario
from sim.vignette.simulate import simulate_study
from tests.vignette.conftest import TWO_CELLS


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fitted")
    (folder / "parent.toml").write_text('name = "parent"\n[aggregator]\nbrand_salience = 0.9\n')
    path = folder / "design.toml"
    path.write_text(TWO_CELLS.replace("seed = 11", 'seed = 11\nscenario = "parent.toml"'))
    design = load_design(path)
    return design, fit_judgements(simulate_study(design).data, design)


def test_the_file_extends_the_studys_scenario_and_loads_to_the_fitted_values(fitted, tmp_path):
    design, fit = fitted
    out = tmp_path / "elsewhere" / "fitted.toml"
    out.parent.mkdir()
    write_fitted_scenario(out, fit, design, tmp_path / "data.csv")
    text = out.read_text()
    assert text.count("extends = ") == 1
    scenario = load_scenario(out)
    assert scenario.aggregator.brand_salience == 0.9, "the study's own scenario is its parent"
    table = fit.table.set_index("parameter")
    for key in ("attribution.intercept", "attribution.intermediation_weight"):
        section, name = key.split(".")
        assert getattr(getattr(scenario, section), name) == pytest.approx(
            table.loc[key].estimate, abs=1e-4
        )
        assert f"{name} = " in text
    assert text.count("# 95% CI") == 2


def test_the_file_must_be_a_toml_file_in_a_folder_that_exists(fitted, tmp_path):
    design, fit = fitted
    with pytest.raises(UserError, match="expected a .toml file name"):
        write_fitted_scenario(tmp_path / "fitted.txt", fit, design, tmp_path / "d.csv")
    with pytest.raises(UserError, match="does not exist"):
        write_fitted_scenario(tmp_path / "no" / "f.toml", fit, design, tmp_path / "d.csv")
