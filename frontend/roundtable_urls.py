"""Pages of the roundtable area; included by frontend/urls.py under the "frontend" namespace."""

urlpatterns: list = []
