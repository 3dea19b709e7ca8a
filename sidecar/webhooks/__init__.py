"""WooCommerce webhooks: verify, store in the inbox, acknowledge; the inbox is worked off later."""
