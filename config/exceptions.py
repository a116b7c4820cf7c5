"""Application errors and the one place that turns them into HTTP answers.

Services raise an :class:`ApplicationError` subclass; API views let it travel up; the handler
below answers with a JSON body that names the offending field. Page views catch the same errors
and show their message on the page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A rule of the domain was not met; the caller did something the platform refuses."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.extra = extra or {}

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"detail": self.message}
        if self.field:
            data["errors"] = {self.field: [self.message]}
        data.update(self.extra)
        return data


class InvalidInputError(ApplicationError):
    """Input that does not fit: 400, naming the field."""


class ConflictError(ApplicationError):
    """The request is well-formed but the object's state refuses it: 409."""

    status_code = status.HTTP_409_CONFLICT


class NotFoundError(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND


class NotAllowedError(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(exc.as_data(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            errors = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(errors)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        # Keep DRF's field map, and add a one-line summary that a client can show as is.
        first_field, first_errors = next(iter(response.data.items()), ("", []))
        first = first_errors[0] if isinstance(first_errors, list) and first_errors else ""
        response.data = {
            "detail": f"{first_field}: {first}" if first_field else str(first),
            "errors": response.data,
        }
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid input.", "errors": {"non_field_errors": response.data}}
    return response
