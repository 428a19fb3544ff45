"""The bottom layer: numbers, exact linear algebra and 2-D geometry, the safe expression parser,
parameters and priors, the front-door mechanism, and the one error root.

Nothing here imports another layer of the package (see ``ARCHITECTURE.md``).
"""
