"""Models of the invitations app."""
