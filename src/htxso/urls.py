from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from htxso import views
from htxso.api import api
from htxso.core import metrics as core_metrics
from htxso.core import views as core_views
from htxso.training import views_certificates as training_certificates

admin.site.site_header = "HTX Số"
admin.site.site_title = "HTX Số"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", core_metrics.metrics, name="metrics"),  # Prometheus; not public
    # the public keys that verify training credentials (Open Badges 3.0, VC-JWT)
    path(".well-known/htxso-keys.json", training_certificates.jwks, name="training_jwks"),
    # first: the GS1 Digital Link resolver (/01/…) is what consumers' phones open most
    path("", include("htxso.trace.urls")),
    path("", include("htxso.accounts.urls")),
    path("nhat-ky/", core_views.audit_list, name="audit_list"),
    path("", include("htxso.registry.urls")),
    path("dia-gioi/", include("htxso.geo.urls")),
    path("van-ban/", include("htxso.core.urls_documents")),
    path("", include("htxso.programs.urls")),
    path("", include("htxso.market.urls")),
    path("", include("htxso.onboarding.urls")),
    path("", include("htxso.invitations.urls")),
    path("", include("htxso.invitations.urls_accounts")),
    path("", include("htxso.privacy.urls")),
    path("", include("htxso.support.urls")),
    path("", include("htxso.support.policies.urls")),
    path("", include("htxso.support.knowledge.urls")),
    path("dao-tao/", include("htxso.training.urls")),
    path("ket-qua/", include("htxso.indicators.urls")),
    path("chuyen-doi-so/", include("htxso.assessment.urls")),
    path("quan-tri-htx/", include("htxso.governance.urls")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
]

handler400 = "htxso.core.views.error_400"
handler403 = "htxso.core.views.error_403"
handler404 = "htxso.core.views.error_404"
handler500 = "htxso.core.views.error_500"

if settings.DEBUG:  # pragma: no cover - media files are served by nginx in production
    from django.conf.urls.static import static

    # public media only: private files (PRIVATE_MEDIA_ROOT) have no URL, see core.files
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
