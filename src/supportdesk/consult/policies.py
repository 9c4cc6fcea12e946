"""Who sees which consultation. Every lookup goes through ``consultation_for``: outside it is a 404.

A consultation is answered by the account manager of the customer's organization; while the
organization has no (active) manager, by the support leads: the members of the "Support leads" group,
or the administrators while that group has nobody.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from supportdesk.accounts.models import Role, User
from supportdesk.consult.models import Consultation

if TYPE_CHECKING:
    from supportdesk.accounts.models import Organization

SUPPORT_LEADS_GROUP = "Support leads"


def support_leads() -> QuerySet[User]:
    staff = User.objects.filter(is_active=True, role__in=(Role.SPECIALIST, Role.ADMIN))
    leads = staff.filter(groups__name=SUPPORT_LEADS_GROUP)
    return leads if leads.exists() else staff.filter(role=Role.ADMIN)


def is_support_lead(user: User) -> bool:
    if not user.is_authenticated or not user.is_active or user.role not in (Role.SPECIALIST, Role.ADMIN):
        return False
    return support_leads().filter(pk=user.pk).exists()


def is_manager(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.MANAGER


def may_answer_consultations(user: User) -> bool:
    return is_manager(user) or is_support_lead(user)


def _unmanaged() -> Q:
    return Q(organization__account_manager__isnull=True) | Q(organization__account_manager__is_active=False)


def staff_consultations(user: User) -> QuerySet[Consultation]:
    """The consultations this manager (or support lead) answers, and no other."""
    consultations = Consultation.objects.all()
    condition = Q(pk__in=[])
    if is_manager(user):
        condition |= Q(organization__account_manager=user)
    if is_support_lead(user):
        condition |= _unmanaged()
    return consultations.filter(condition)


def customer_consultations(user: User) -> QuerySet[Consultation]:
    """A customer's own consultations (his colleagues' are theirs alone)."""
    if not user.is_authenticated or not user.is_active or user.role != Role.CUSTOMER:
        return Consultation.objects.none()
    return Consultation.objects.filter(requester=user)


def consultation_for(
    user: User, pk: object, *, side: str, queryset: QuerySet[Consultation] | None = None
) -> Consultation:
    """The consultation ``pk`` if this user may see it from ``side`` ("customer" or "staff"); else 404."""
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    scope = customer_consultations(user) if side == "customer" else staff_consultations(user)
    base = scope if queryset is None else queryset & scope
    try:
        return base.get(pk=number)
    except Consultation.DoesNotExist:
        raise Http404 from None


def answerer_of(organization: Organization | None) -> User | None:
    """The account manager who answers this organization's consultations (None: the support leads)."""
    manager = organization.account_manager if organization is not None else None
    return manager if manager is not None and manager.is_active else None
