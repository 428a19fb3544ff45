"""The models layer: the toolkit's model types as small immutable data (games, trees, Bayesian and
signaling games, continuous games, bargaining problems, Richardson's model), one module per family.

Models hold data and simple queries; the algorithms that solve them live in higher layers.
"""
