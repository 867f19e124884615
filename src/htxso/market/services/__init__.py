"""Every write of the market app, one module per sub-domain."""
