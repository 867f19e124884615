"""Results and periodic reports (issue 17): results frameworks whose indicators are
computed from the platform's own data, targets per period, dashboards, the periodic
reports of the provincial directive, and exports (DHIS2 dataValueSets, CSV, XLSX).

The top layer of ARCHITECTURE.md: it reads the other apps only through their selectors;
no other app imports it."""
