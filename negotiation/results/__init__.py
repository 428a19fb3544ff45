"""The results layer: one :class:`~negotiation.results.base.Result` protocol, one module per family of
result types (``game``, ``tree``, ``bayesian``, ``signaling``, ``continuous``, ``repeated``, ``bargaining``, …)."""
