"""Pages of the staff area; included by frontend/urls.py under the "frontend" namespace."""

urlpatterns: list = []
