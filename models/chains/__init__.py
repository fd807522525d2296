"""The chain tables of DOMAIN §4; importing this package registers each of them."""

from models.chains import edge_identify as edge_identify
from models.chains import household_exit as household_exit
from models.chains import key_village as key_village
from models.chains import monitoring as monitoring
from models.chains import rectification as rectification
from models.chains import relative_identify as relative_identify
from models.chains import village_exit as village_exit

# DOMAIN §4's order (A, B, C, D, E, F, G), in which lists and counts show the chains.
ORDER = tuple(c.code for c in (
    household_exit.HOUSEHOLD_EXIT, village_exit.VILLAGE_EXIT, edge_identify.EDGE_IDENTIFY, key_village.KEY_VILLAGE,
    relative_identify.RELATIVE_IDENTIFY, monitoring.MONITORING, rectification.RECTIFICATION,
))
