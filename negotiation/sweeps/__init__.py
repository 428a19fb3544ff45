"""Parameter sweeps: equilibrium tables over grids and Monte Carlo samples.

``ng.sweep(scenario, grid=[...] | samples=N, ...)`` evaluates a scenario's
payoffs for whole chunks of parameter points at once (a Monte Carlo sample
keeps only the draws that satisfy the scenario's assumptions and reports its
acceptance rate), solves small two-player games with the vectorised batch
solver (degenerate points exactly, one by one), streams the table to CSV or Parquet, and resumes interrupted runs.  The
same sweep runs in local processes (``workers=N``) or on a Dask cluster
(``map=client.get_executor().map``) with identical results.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.sweeps import sweep
>>> result = sweep(ng.load("security_dilemma"), grid=["omega=0:1:5", "phi=0:1:3"])
>>> print(result.summary_table().to_markdown().splitlines()[2])
| region | equilibria | classification | points | share | omega min | omega max | phi min | phi max |
"""

from negotiation.core.priors import SAMPLE_BLOCK, Prior, parse_prior, sample_points
from negotiation.sweeps.engine import sweep
from negotiation.sweeps.grid import Axis, Grid, parse_axis
from negotiation.sweeps.labels import NO_EQUILIBRIUM, point_outcomes
from negotiation.sweeps.limits import MAX_CHUNK_SIZE, MAX_POINTS
from negotiation.sweeps.rejection import MAX_CANDIDATES, MAX_CANDIDATES_PER_SAMPLE, Acceptance
from negotiation.sweeps.result import SweepResult, read_table
from negotiation.sweeps.runner import SweepInterrupted
from negotiation.sweeps.summary import SummaryTable, monte_carlo_summary, region_summary, wilson_interval

__all__ = ["sweep", "SweepResult", "Grid", "Axis", "Prior", "SummaryTable", "parse_axis", "parse_prior",
           "sample_points", "read_table", "point_outcomes", "monte_carlo_summary", "region_summary",
           "wilson_interval", "SAMPLE_BLOCK", "NO_EQUILIBRIUM", "MAX_POINTS", "MAX_CHUNK_SIZE", "SweepInterrupted",
           "Acceptance", "MAX_CANDIDATES_PER_SAMPLE", "MAX_CANDIDATES"]
