"""api: the HTTP layer of the Freezer API (Pecan controllers, middleware
stack, error rendering and policy enforcement). It parses requests, calls
freezer_core, and renders JSON; the rules live in freezer_core."""
