"""The analysts' web pages: server-rendered HTML (Jinja2) over the JSON API, in Chinese with an English switch.

Pages live under ``/`` (home) and ``/ui/…`` so the JSON resources keep their paths; every page reads the
same resources a client would (in process, through the ASGI app), so the pages never say more than the API.
No CDN and no build step: one small stylesheet in ``static/``.
"""

from api.web.pages import STATIC, router
from api.web.pictures import router as pictures_router

router.include_router(pictures_router)  # /ui/pictures/…

__all__ = ["STATIC", "router"]
