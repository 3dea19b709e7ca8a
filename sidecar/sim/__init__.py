"""Simulators of the Fortnox and WooCommerce APIs, for tests, the demo and the benchmarks.

They behave like the real services (auth, rate limits, paging, validation, error bodies) so
that code tested against them is tested against the rules it will meet in production.

`fortnox` and `woocommerce` are the two simulators, one package each (import `create_app`, `run`
and the config and state classes from the package). `server` serves one in a thread, `process`
runs the real sidecar as a subprocess, `demo_traffic` drives both simulators for the demo.
"""
