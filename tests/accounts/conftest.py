"""Personas for the accounts tests: an expert, a staff member, and a factory for more."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from tests.accounts.helpers import PASSWORD


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """A user who can log in through allauth: the primary e-mail address is verified."""

    def make(email: str = "expert@example.org", *, verified: bool = True, **fields) -> User:
        user = User.objects.create_user(email=email, password=PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        return user

    return make


@pytest.fixture
def staff_user(make_user) -> User:
    return make_user("analyst@coalition.example", is_staff=True, full_name="Ann Analyst")


@pytest.fixture
def expert(make_user) -> User:
    return make_user("expert@example.org", full_name="Eva Expert")
