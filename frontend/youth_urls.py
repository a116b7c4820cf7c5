"""Pages of the youth area; included by frontend/urls.py under the "frontend" namespace."""

urlpatterns: list = []
