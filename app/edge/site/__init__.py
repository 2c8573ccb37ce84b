"""The web face at `/`: server-rendered pages at the permalink URLs, oEmbed and the player."""

from app.edge.site.spec import site_router, template_config

__all__ = ["site_router", "template_config"]
