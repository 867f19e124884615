"""Permission-test samples for the statistics pages and exports."""

PROVINCE_04_SEERS = {"vca", "officer_a", "viewer_a"}

SAMPLES = {
    "registry:stats_province": lambda w: ({"code": "04"}, PROVINCE_04_SEERS),
    "registry:stats_province_xlsx": lambda w: ({"code": "04"}, PROVINCE_04_SEERS),
}

# stats_home sends VCA and single-province readers on to their dashboard.
ALLOWED_STATUS = {"registry:stats_home": {"authenticated": {302}}}
