"""DX self-assessment, DX plans, advice from the alliance and measured impact (issue 15)."""
