"""Pages of the roundtable area; included by frontend/urls.py under the "frontend" namespace."""

from django.urls import path

from frontend.views import roundtables

urlpatterns: list = [
    path("roundtables/", roundtables.roundtable_list, name="roundtable_list"),
    path("roundtables/mine/", roundtables.my_registrations, name="roundtable_mine"),
    path(
        "roundtables/mine/<int:pk>/cancel/",
        roundtables.my_registration_cancel,
        name="roundtable_mine_cancel",
    ),
    path("roundtables/<slug:slug>/", roundtables.roundtable_detail, name="roundtable_detail"),
    path(
        "roundtables/<slug:slug>/register/",
        roundtables.roundtable_register,
        name="roundtable_register",
    ),
    path(
        "roundtables/<slug:slug>/calendar.ics",
        roundtables.roundtable_calendar,
        name="roundtable_calendar",
    ),
    path("c/<slug:slug>/calendar.ics", roundtables.campaign_calendar, name="campaign_calendar"),
]
