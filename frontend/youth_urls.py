"""Pages of the youth area; included by frontend/urls.py under the "frontend" namespace.

/j/<invite-code> is printed on posters and in QR codes (InviteLink.path), so it has no slash.
"""

from django.urls import path

from frontend.views import youth, youth_receipt, youth_results

urlpatterns: list = [
    path("j/<str:code>", youth.invite, name="youth_invite"),
    path("j/<str:code>/", youth.invite),
    path("s/<slug:slug>/", youth.entry, name="youth_entry"),
    path("s/<slug:slug>/language/", youth.choose_language, name="youth_language"),
    path("s/<slug:slug>/age/", youth.choose_age, name="youth_age"),
    path("s/<slug:slug>/assent/", youth.assent, name="youth_assent"),
    path("s/<slug:slug>/q/<slug:key>/", youth.question, name="youth_question"),
    path("s/<slug:slug>/send/", youth.send, name="youth_send"),
    path("s/<slug:slug>/done/", youth.done, name="youth_done"),
    path("s/<slug:slug>/goodbye/", youth.goodbye, name="youth_goodbye"),
    path("s/<slug:slug>/resume/", youth.resume, name="youth_resume"),
    path("r/", youth_receipt.receipt_lookup, name="youth_receipt_lookup"),
    path("r/<str:code>/", youth_receipt.receipt, name="youth_receipt"),
    path("r/<str:code>/withdraw/", youth_receipt.receipt_withdraw, name="youth_receipt_withdraw"),
]

# "What happened with your voice": a campaign's published results (frontend.views.youth_results).
urlpatterns += [
    path("c/<slug:slug>/results/", youth_results.results_page, name="youth_results"),
]
