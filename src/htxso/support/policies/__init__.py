"""Support policies: a catalogue of national and provincial policies whose eligibility
is written in the programme calls' rule language, matched to a cooperative."""
