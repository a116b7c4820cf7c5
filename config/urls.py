from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz

# The admin's own login form checks a password only: no two-step code, no rate limit on failed
# attempts. Send it to allauth's login instead, which does both and comes back here.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Its own template: drf-spectacular's has an inline <style>, which the CSP blocks.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="frontend/api_docs.html"
        ),
        name="api-docs",
    ),
    path("api/v1/", include("consultations.urls")),
    path("api/v1/", include("surveys.urls")),
    path("api/v1/", include("roundtables.urls")),
    path("api/v1/", include("analysis.urls")),
    path("", include("frontend.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
