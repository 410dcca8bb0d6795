"""What every page needs to know about the installation itself."""

from __future__ import annotations

from django.conf import settings


def demo(request):
    """The demo's pages say in their footer that the data are synthetic (`lindung demo`)."""
    return {"demo_site": bool(getattr(settings, "LINDUNG_DEMO", False))}
