"""Chain D's section of the policy file, [key_village]: the condition a village must meet to apply, and the samples
of villages the city's spot-check and the province's field check draw (seed 004, Guangdong 双到)."""

from __future__ import annotations

from dataclasses import dataclass

from models.policy.reading import Table
from models.policy.thresholds import Sampling, Threshold


@dataclass(frozen=True)
class KeyVillage:
    """重点帮扶村 (seed 004, Guangdong 双到): the condition a village must meet to apply, and the shares of each
    county's villages the city's spot-check (地市抽查) and the province's field check (实地抽查核实) draw."""

    collective_income: Threshold  # village collective income a year, yuan
    city_sample: Sampling  # counted in villages, not people
    province_sample: Sampling


def key_village_section(raw: Table | None) -> KeyVillage | None:
    """The [key_village] section; each sample's share is above 0 and at most 1, its counts in whole villages."""
    if raw is None:
        return None
    return KeyVillage(collective_income=raw.threshold("collective_income"),
                      city_sample=raw.sampling("city_sample", share_above_zero=True),
                      province_sample=raw.sampling("province_sample", share_above_zero=True))
