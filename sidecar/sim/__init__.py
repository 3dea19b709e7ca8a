"""Simulators of the Fortnox and WooCommerce APIs, for tests, the demo and the benchmarks.

They behave like the real services (auth, rate limits, paging, validation, error bodies) so
that code tested against them is tested against the rules it will meet in production.
"""
