"""Training: courses and sessions, enrolment, attendance, completion, certificates (issue 16)."""
