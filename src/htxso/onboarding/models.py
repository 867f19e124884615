"""Models of the onboarding app."""
