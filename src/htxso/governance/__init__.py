"""Cooperative governance: member register and capital, general assemblies and votes,
resolutions and minutes, disclosures to members, the member portal, profit distribution
(Law on Cooperatives 17/2023/QH15, Art. 14, 15, 30–31, 57–61, 74)."""
