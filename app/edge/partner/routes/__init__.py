"""The Partner API's route handlers, one module per resource, and the security declarations
they share: every route needs an app entitlement besides the kit's rules."""

from __future__ import annotations

from app.edge.kit.routes import Security, declare

MANAGE = declare(Security(auth="app", scope="partner:catalog", entitlement="partner:catalog"))
"""Reading and changing the catalogs of the creators who granted this app management."""
INSIGHTS = declare(Security(auth="app", scope="partner:insights", entitlement="partner:insights"))
"""Reports on those catalogs."""
