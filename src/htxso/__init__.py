"""HTX Số — the digital platform for Vietnam's cooperatives."""

__version__ = "0.1.0"
