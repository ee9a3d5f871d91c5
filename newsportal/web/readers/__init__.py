"""跟贴 in the web layer: reader accounts, the comment section and thread pages, the comments API glue and the
moderation pages. Routes are installed by :func:`newsportal.web.readers.routes.install`."""
