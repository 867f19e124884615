"""The API at /api/v1/: one NinjaAPI assembling each app's router."""

from __future__ import annotations

from ninja import NinjaAPI

from htxso import __version__
from htxso.accounts.api import router as accounts_router
from htxso.assessment.api_impact import router as assessment_impact_router
from htxso.assessment.api_plans import router as assessment_plans_router
from htxso.assessment.api_survey import router as assessment_survey_router
from htxso.core.api import install_error_handlers
from htxso.core.api_audit import router as audit_router
from htxso.geo.api import router as geo_router
from htxso.governance.api_assemblies import router as governance_assemblies_router
from htxso.governance.api_portal import router as governance_portal_router
from htxso.governance.api_register import router as governance_register_router
from htxso.governance.api_votes import router as governance_votes_router
from htxso.indicators.api_exports import router as indicators_exports_router
from htxso.indicators.api_frameworks import router as indicators_frameworks_router
from htxso.indicators.api_reports import router as indicators_reports_router
from htxso.market.api import router as market_router
from htxso.programs.api import router as programs_router
from htxso.registry.api import router as registry_router
from htxso.registry.api_reports import router as registry_reports_router
from htxso.registry.api_stats import router as registry_stats_router
from htxso.registry.api_sync import router as registry_sync_router
from htxso.support.api import router as support_router
from htxso.support.knowledge.api import router as support_knowledge_router
from htxso.support.policies.api import router as support_policies_router
from htxso.trace.api import router as trace_router
from htxso.training.api_attendance import router as training_attendance_router
from htxso.training.api_certificates import router as training_certificates_router
from htxso.training.api_courses import router as training_courses_router
from htxso.training.api_people import router as training_people_router

api = NinjaAPI(
    title="HTX Số API",
    version=__version__,
    description=(
        "API of HTX Số, the digital platform for Vietnam's cooperatives. "
        "Authenticate with `Authorization: Bearer <token>` "
        "(create one with `python -m htxso api_token create <username>` or on your profile "
        "page). Errors are JSON objects with a stable `code`, a `message` in the "
        "requested language and optional `details`."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/accounts", accounts_router)
api.add_router("/geo", geo_router)
api.add_router("/registry", registry_router)
api.add_router("/registry", registry_reports_router)
api.add_router("/registry", registry_stats_router)
api.add_router("/registry", registry_sync_router)  # issue 19: the sync feed
api.add_router("/audit", audit_router)
api.add_router("/programs", programs_router)
api.add_router("/market", market_router)
api.add_router("/trace", trace_router)
api.add_router("/support/policies", support_policies_router)
api.add_router("/support", support_router)
api.add_router("/support/knowledge", support_knowledge_router)
# training: one prefix, one router per part of the app (mounting them under a parent
# router with an empty prefix would make the schema's paths lose a slash)
for _training_router in (
    training_courses_router,
    training_attendance_router,
    training_certificates_router,
    training_people_router,
):
    api.add_router("/training", _training_router)
for _indicators_router in (
    indicators_frameworks_router,
    indicators_reports_router,
    indicators_exports_router,
):
    api.add_router("/indicators", _indicators_router)
for _assessment_router in (
    assessment_survey_router,
    assessment_plans_router,
    assessment_impact_router,
):
    api.add_router("/assessment", _assessment_router)
for _governance_router in (
    governance_register_router,
    governance_assemblies_router,
    governance_votes_router,
    governance_portal_router,
):
    api.add_router("/governance", _governance_router)
