from django.urls import path

from frontend.views import public

app_name = "frontend"

urlpatterns = [
    path("", public.home, name="home"),
    path("c/<slug:slug>/", public.campaign_detail, name="campaign_detail"),
    path("privacy/", public.privacy, name="privacy"),
]
