from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from opstap.core.access import HasOpstapPermission, scoped
from opstap.core.api.viewsets import CallerQuerysetMixin
from opstap.core.roles import Perm
from opstap.organisations.models import Municipality
from opstap.organisations.selectors import municipalities_for

from .serializers import MunicipalitySerializer


class MunicipalityViewSet(CallerQuerysetMixin, viewsets.ReadOnlyModelViewSet[Municipality]):
    """Municipalities served by the caller's organisation (gemeenten)."""

    serializer_class = MunicipalitySerializer
    permission_classes = [HasOpstapPermission]
    required_perms = (Perm.MUNICIPALITY_VIEW,)

    queryset = Municipality.objects.none()  # for the schema; real rows come from below

    def caller_queryset(self) -> QuerySet[Municipality]:
        org_id = self.request.user.organisation_id  # type: ignore[union-attr]
        if org_id is None:
            return Municipality.objects.none()
        return scoped(self.request.user, municipalities_for(org_id))
