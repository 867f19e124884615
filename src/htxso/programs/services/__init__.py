"""Every write of the programs app.  ``<entity>_<verb>(*, actor, ...)``."""
