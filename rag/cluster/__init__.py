"""Scaling out on Ray: a sharded index built with Ray Data and served with Ray Serve.

Ray is imported only inside this sub-package's ``indexing``, ``job``, ``serving`` and ``router`` modules, and
only when a sharded index is built or opened; a user who never scales out never imports it. ``layout`` (the
on-disk shape of a sharded index) and ``errors`` need no Ray.
"""
