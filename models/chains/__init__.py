"""The chain tables of DOMAIN §4; importing this package registers each of them."""

from models.chains import household_exit as household_exit
from models.chains import village_exit as village_exit
