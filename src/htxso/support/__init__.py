"""Support centre (issue 18): service requests with working-day SLAs (this app),
the catalogue of support policies matched to a cooperative (`support.policies`), and
the knowledge base of model cases, news and guides (`support.knowledge`)."""
