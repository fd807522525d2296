"""The stage-input forms of edge household identification: the home visit's measured income (入户核实登记)."""

from __future__ import annotations

from models.chains.edge_identify.stages import CODE
from models.door.forms import register_form
from models.home_checks.visits import HOME_VISIT_FORM

register_form(HOME_VISIT_FORM, chain=CODE)
