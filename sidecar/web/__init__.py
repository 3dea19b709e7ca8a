"""HTTP: parse, authenticate, call one function, respond. No business rules here."""
