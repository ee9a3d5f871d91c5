"""IP属地 backends; each one file, each implementing :class:`newsportal.geo.IpLocator`."""
