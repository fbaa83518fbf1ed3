"""R-SEC-4 completeness: every model that points to a client (the same walk as the right
of access uses) is anonymised by a registered anonymiser or kept with a reason, so a future
model cannot be forgotten; and every registered anonymiser names real fields."""

from __future__ import annotations

from django.apps import apps

from opstap.access_requests.tests.test_completeness import _points_to_client
from opstap.core.retention import anonymisers
from opstap.retention.coverage import KEPT_MODELS


def test_every_model_about_a_client_is_anonymised_or_kept() -> None:
    about_client = _points_to_client()
    registered = {a.model for a in anonymisers()}
    missing = sorted(about_client - registered - set(KEPT_MODELS))
    assert not missing, (
        "Models about a client that retention neither anonymises nor keeps with a reason "
        f"(register an Anonymiser in the app's anonymisers.py or add to KEPT_MODELS): {missing}"
    )
    assert not registered & set(KEPT_MODELS)
    for label, reason in KEPT_MODELS.items():
        assert label in about_client, f"{label} is kept but holds no client data"
        assert len(reason) > 20


def test_anonymisers_name_real_fields() -> None:
    assert len(anonymisers()) >= 20
    for anonymiser in anonymisers():
        model = apps.get_model(anonymiser.model)
        for name in (
            *anonymiser.texts,
            *anonymiser.files,
            *anonymiser.clear,
            *anonymiser.json_lists,
            *anonymiser.json_keys,
        ):
            model._meta.get_field(name)
        first = anonymiser.client_path.split("__")[0]
        if first != "pk":
            names = {f.name for f in model._meta.get_fields()} | {
                f.attname for f in model._meta.concrete_fields
            }
            assert first in names, anonymiser
