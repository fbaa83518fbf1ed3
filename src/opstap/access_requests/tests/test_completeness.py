"""R-SEC-5 completeness: every model that points to a client is either collected in the
export or excluded with a reason — a future model cannot be forgotten."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from opstap.access_requests.collectors import COLLECTED_MODELS, EXCLUDED_MODELS, SECTIONS
from opstap.clients.models import Client


def _points_to_client() -> set[str]:
    """Models with a foreign key chain to Client (directly, through a trajectory, an invoice,
    a deadline...), plus models that keep the client as a plain `client_id` column (the
    audit trail, the outflow premium: kept as ids so they survive anonymisation)."""
    reached: set[type[models.Model]] = {Client}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in reached:
                continue
            for field in model._meta.get_fields():
                if (
                    field.concrete
                    and field.is_relation
                    and (field.many_to_one or field.one_to_one)
                    and field.related_model in reached
                ):
                    reached.add(model)
                    changed = True
                    break
    plain = {
        model
        for model in apps.get_models()
        if any(
            f.concrete and not f.is_relation and f.name == "client_id"
            for f in model._meta.get_fields()
        )
    }
    return {m._meta.label for m in (reached | plain) - {Client}} | {"clients.Client"}


def test_every_model_about_a_client_is_collected_or_excluded() -> None:
    """R-SEC-5: a model holding data about a client must be in the export or in
    EXCLUDED_MODELS with a reason."""
    about_client = _points_to_client()
    missing = sorted(about_client - set(COLLECTED_MODELS) - set(EXCLUDED_MODELS))
    assert not missing, (
        "Models about a client that the right-of-access export neither collects nor "
        f"excludes (add a Section in collectors/ or a reason in EXCLUDED_MODELS): {missing}"
    )


def test_introspection_sees_the_known_indirect_models() -> None:
    """The walk must reach models two hops away and plain client ids, or it proves nothing."""
    about_client = _points_to_client()
    for label in (
        "trajectories.Absence",  # → trajectory → client
        "trajectories.DeadlineNotification",  # → deadline → trajectory → client
        "invoices.InvoiceLine",  # → invoice → client
        "invoices.TravelTrip",  # → travel claim → client
        "finance.OutflowPremium",  # plain client_id
        "audit.AuditRecord",  # plain client_id
    ):
        assert label in about_client, label


def test_exclusions_are_real_and_reasoned() -> None:
    about_client = _points_to_client()
    for label, reason in EXCLUDED_MODELS.items():
        assert label in about_client, f"{label} is excluded but holds no client data"
        assert label not in COLLECTED_MODELS, f"{label} is both collected and excluded"
        assert len(reason) > 20, f"{label}: give a reason"


def test_sections_name_existing_models_and_unique_keys() -> None:
    keys = [s.key for s in SECTIONS]
    assert len(keys) == len(set(keys))
    for section in SECTIONS:
        apps.get_model(section.model)
        assert section.columns, section.key
