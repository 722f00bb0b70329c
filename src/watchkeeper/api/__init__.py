"""The HTTP service (``watchkeeper serve``): one router per area, see ``app.create_app``."""
