"""factory-boy factories for the people and organizations tests need.

Tickets are not built here: they are opened through ``services.create_ticket`` (the ``make_ticket``
fixture) so that every ticket a test sees has its real first message and ``ticket.created`` event.
"""

from __future__ import annotations

import factory

from supportdesk.accounts.models import Organization, Role, User

PASSWORD = "demo"  # noqa: S105 - the demo password of every test user


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")
    shares_tickets = False


class UserFactory(factory.django.DjangoModelFactory):
    """A customer of a fresh organization unless told otherwise; every password is ``demo``."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    display_name = factory.Sequence(lambda n: f"User {n}")
    role = Role.CUSTOMER
    organization = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.CUSTOMER),
        yes_declaration=factory.SubFactory(OrganizationFactory),
        no_declaration=None,
    )
    is_active = True
    password = factory.django.Password(PASSWORD)


class CustomerFactory(UserFactory):
    role = Role.CUSTOMER


class SpecialistFactory(UserFactory):
    role = Role.SPECIALIST
    organization = None


class AdminFactory(UserFactory):
    role = Role.ADMIN
    organization = None
    is_superuser = True


class ManagerFactory(UserFactory):
    role = Role.MANAGER
    organization = None
