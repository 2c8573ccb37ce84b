"""Seeding VAS: the deterministic demo catalog and large synthetic catalogs, in bulk."""

from app.value_added.seeding.plan import (
    DEMO_SIZES,
    DemoAccount,
    DemoApp,
    DemoCredentials,
    DemoSeed,
    Progress,
    SeedReport,
    SeedSizes,
)
from app.value_added.seeding.service import SeedingService

__all__ = [
    "DEMO_SIZES",
    "DemoAccount",
    "DemoApp",
    "DemoCredentials",
    "DemoSeed",
    "Progress",
    "SeedReport",
    "SeedSizes",
    "SeedingService",
]
