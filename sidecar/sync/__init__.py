"""The domain: pure mapping between WooCommerce and Fortnox, and the use cases that apply it."""
