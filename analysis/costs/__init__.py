"""What would close each gap, and what it costs (pure: no UI imports).

For every support point and village (:func:`analysis.planning.places`, EPSG:9208) the
connection options — already served, a new BTS from the optimiser, a fibre extension along the
least-cost path over the terrain, a microwave link (ITU-R P.530 clearance, with a relay when
needed), a satellite terminal — each feasible or not with a reason code, their costs in VND
(capex, opex per year, net present cost; ``SETTINGS.costs``), the cheapest per place and the
runner-up (:mod:`analysis.costs.options`); a plan within a budget with its bound
(:mod:`analysis.costs.budget`); the terrain profile of a link (:mod:`analysis.costs.profile`).
"""

from analysis.costs.budget import BudgetPlan, plan_budget, prepare
from analysis.costs.npc import annuity_factor, npc
from analysis.costs.options import OPTIONS, CostTable, cost_options
from analysis.costs.overrides import load_costs
from analysis.costs.profile import LinkProfile, link_profile, place_profile

__all__ = ["OPTIONS", "BudgetPlan", "CostTable", "LinkProfile", "annuity_factor",
           "cost_options", "link_profile", "load_costs", "npc", "place_profile",
           "plan_budget", "prepare"]
