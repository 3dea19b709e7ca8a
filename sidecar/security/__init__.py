"""Security rules that are not a page: the secret key's strength, stored secrets being readable,
passwords, sign-in throttling, and the security log."""
