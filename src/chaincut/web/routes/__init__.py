"""Routes by area: the public check, accounts, the analyst console pages, the REST API."""
