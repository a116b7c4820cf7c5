from django.urls import path

from frontend.coordinator_urls import urlpatterns as coordinator_urlpatterns
from frontend.roundtable_urls import urlpatterns as roundtable_urlpatterns
from frontend.staff_urls import urlpatterns as staff_urlpatterns
from frontend.views import public
from frontend.youth_urls import urlpatterns as youth_urlpatterns

app_name = "frontend"

urlpatterns = [
    path("", public.home, name="home"),
    path("c/<slug:slug>/", public.campaign_detail, name="campaign_detail"),
    path("privacy/", public.privacy, name="privacy"),
    *youth_urlpatterns,
    *roundtable_urlpatterns,
    *staff_urlpatterns,
    *coordinator_urlpatterns,
]
