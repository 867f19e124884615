"""Every write of the trace app."""
