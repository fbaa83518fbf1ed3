"""Shared serializer helpers of the API."""

from __future__ import annotations

import copy
import datetime as dt
import operator
from collections.abc import Callable
from functools import cached_property as _cached
from typing import Any, ClassVar, NamedTuple

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property
from rest_framework import ISO_8601, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from opstap.core.access import report_if_exists, scoped

__all__ = ["CachedFieldsMixin", "CallerRelatedField", "PlannedRowsMixin", "WholeIdRelatedField"]


class CachedFieldsMixin:
    """Build a serializer class's fields once per process instead of once per request.

    A `ModelSerializer` introspects its model and builds every field on each instantiation
    (for a list: once per request, ~3-9 ms for 35 fields). This mixin keeps the unbound
    fields `get_fields()` built the first time and hands each instance a deep copy (DRF fields
    copy by re-instantiating with their arguments), which DRF then binds as usual. Use it only
    on serializers whose fields do not depend on the instance or the context."""

    _fields_prototypes: ClassVar[dict[type, dict[str, Field[Any, Any, Any, Any]]]] = {}

    def get_fields(self) -> dict[str, Field[Any, Any, Any, Any]]:
        cls = type(self)
        prototypes = CachedFieldsMixin._fields_prototypes.get(cls)
        if prototypes is None:
            prototypes = super().get_fields()  # type: ignore[misc]
            CachedFieldsMixin._fields_prototypes[cls] = prototypes
        return copy.deepcopy(prototypes)


# --- Rows read by a plan ------------------------------------------------------------------

#: How a step of the plan reads a row: one attribute path (`VALUE`), a method of the
#: serializer (`METHOD`), or DRF's own `get_attribute` (`DRF`).
VALUE, METHOD, DRF = "value", "method", "drf"

_Write = Callable[[Any], Any]


class PlanStep(NamedTuple):
    """One field of the answer: its key, how its value is read from the row (`read`, for
    `VALUE` and `METHOD`) and how it is written (`write`; None: the value as read). `field`
    is the serializer's bound field, or None in a plan shared by every instance of a class
    (`PlannedRowsMixin`): then a row that goes DRF's way uses the instance's own field."""

    name: str
    kind: str
    read: Callable[[Any], Any] | None
    write: _Write | None
    field: Field[Any, Any, Any, Any] | None


#: Errors with which DRF's `get_attribute` treats an attribute as missing (then the field's
#: default, null or no key at all): a row that raises one goes DRF's way for that field.
_MISSING = (AttributeError, KeyError, ObjectDoesNotExist)


def _forward(model: type[Model], name: str) -> type[Model] | None:
    """The model a forward relation `name` of `model` leads to (a foreign key or a concrete
    one-to-one), or None if `name` is not one."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.many_to_one or (field.one_to_one and field.concrete):
        related = field.related_model
        return related if isinstance(related, type) and issubclass(related, Model) else None
    return None


def _plain(model: type[Model], name: str) -> bool:
    """Whether `name` on a row of `model` is a concrete column (not a relation) or a property:
    read by a plain `getattr`, never a callable that DRF would call (the project's properties
    return values, not functions)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return isinstance(getattr(model, name, None), property | cached_property | _cached)
    return bool(field.concrete and not field.is_relation)


def _value_path(model: type[Model], source: list[str], row_attributes: frozenset[str]) -> bool:
    """Whether DRF's `get_attribute` of `source` on a row of `model` is exactly
    `operator.attrgetter('.'.join(source))`: forward relations, then a column or property (no
    Mapping to index, no callable to call), or one of the `row_attributes` the serializer
    declares."""
    if len(source) == 1 and source[0] in row_attributes:
        return True
    if not source:
        return False
    current = model
    for name in source[:-1]:
        related = _forward(current, name)
        if related is None:
            return False
        current = related
    return _plain(current, source[-1])


def _iso_date(to_representation: _Write) -> _Write:
    """DRF's `DateField.to_representation` with the ISO 8601 format: `date.isoformat()` for a
    date, anything else DRF's way."""

    def write(value: Any) -> Any:
        if type(value) is dt.date:
            return value.isoformat()
        return to_representation(value)

    return write


def _boolean(to_representation: _Write) -> _Write:
    """DRF's `BooleanField.to_representation` for a bool: the bool itself (True is among its
    true values, False among its false ones); anything else DRF's way."""

    def write(value: Any) -> Any:
        if type(value) is bool:
            return value
        return to_representation(value)

    return write


def _choice(field: serializers.ChoiceField, to_representation: _Write) -> _Write:
    """DRF's `ChoiceField.to_representation` for a non-empty plain string: its choice's key
    (or the string itself); anything else (an enum member, the empty string) DRF's way."""
    keys = field.choice_strings_to_values

    def write(value: Any) -> Any:
        if type(value) is str and value:
            return keys.get(value, value)
        return to_representation(value)

    return write


def fast_write(field: Field[Any, Any, Any, Any]) -> _Write:
    """What `field.to_representation` does for a value that is not None, without DRF's
    dispatch where that is one builtin (`str` for a CharField, `int` for an IntegerField) or
    a short path (an ISO date, a bool, a choice); `field.to_representation` itself otherwise. Only a
    field whose class keeps DRF's own `to_representation` is written the short way."""
    own = type(field).to_representation
    to_representation = field.to_representation
    if own is serializers.CharField.to_representation:
        return str
    if own is serializers.IntegerField.to_representation:
        return int
    if own is serializers.BigIntegerField.to_representation and not getattr(
        field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
    ):
        return int
    if own is serializers.DateField.to_representation:
        output = getattr(field, "format", api_settings.DATE_FORMAT)
        if isinstance(output, str) and output.lower() == ISO_8601:
            return _iso_date(to_representation)
    if own is serializers.BooleanField.to_representation:
        return _boolean(to_representation)
    if own is serializers.ChoiceField.to_representation:
        assert isinstance(field, serializers.ChoiceField)
        return _choice(field, to_representation)
    return to_representation


def _reads_as_primary_key(cls: type[serializers.PrimaryKeyRelatedField]) -> bool:  # type: ignore[type-arg]
    """Whether a primary key field of class `cls` answers DRF's `PrimaryKeyRelatedField` way
    (the related row's key, through the `PKOnlyObject` of `RelatedField.get_attribute`): a
    subclass that only changes what it accepts (`WholeIdRelatedField`, a `get_queryset` of
    the caller's organisation) writes the same."""
    base = serializers.PrimaryKeyRelatedField
    return (
        cls.to_representation is base.to_representation
        and cls.use_pk_only_optimization is base.use_pk_only_optimization
        and cls.get_attribute is serializers.RelatedField.get_attribute
    )


#: Fields whose `to_representation` reads nothing but the field's own arguments (no context,
#: no parent): written the same by any instance of the field, so a plan that holds them may
#: serve every serializer of its class. Exact classes: a subclass may read its context.
_CONTEXT_FREE: frozenset[type] = frozenset(
    {
        serializers.CharField,
        serializers.IntegerField,
        serializers.BigIntegerField,
        serializers.FloatField,
        serializers.DecimalField,
        serializers.BooleanField,
        serializers.DateField,
        serializers.ChoiceField,
        serializers.JSONField,
    }
)


def _shareable(step: PlanStep) -> bool:
    """Whether `step` may serve every instance of its serializer's class: a method (bound
    again to each instance), a key read from its `_id` column, or a column written by a
    context-free field (a list of them too)."""
    if step.kind == METHOD:
        return True
    if step.kind != VALUE:
        return False
    field = step.field
    if isinstance(field, serializers.RelatedField):
        return step.write is None
    if type(field) is serializers.ListField:
        return type(field.child) in _CONTEXT_FREE
    return type(field) in _CONTEXT_FREE


def read_plan(
    serializer: serializers.Serializer[Any],
    model: type[Model],
    row_attributes: frozenset[str] = frozenset(),
) -> list[PlanStep]:
    """How `serializer` reads a row of `model`, field by field, in the order of its fields:

    - a field whose source is a column, a property, or a column or property of a row reached
      by forward relations (`client.client_number`), or one of `row_attributes`: `VALUE`,
      read by one `operator.attrgetter` and written by `fast_write` (a row without the
      attribute goes DRF's way);
    - a primary key field of a forward relation (`client`): `VALUE`, its `_id` column, as is
      (what DRF's `PKOnlyObject` optimisation gives);
    - a `SerializerMethodField`: `METHOD`, the serializer's bound method;
    - anything else (a callable source, a nested serializer, `source='*'`, an attribute
      the model does not declare): `DRF`, read and written by the field itself."""
    plan: list[PlanStep] = []
    for field in serializer._readable_fields:
        name = str(field.field_name)
        source = list(field.source_attrs)
        if type(field) is serializers.SerializerMethodField:
            method = getattr(serializer, str(field.method_name))
            plan.append(PlanStep(name, METHOD, method, None, field))
        elif (
            isinstance(field, serializers.PrimaryKeyRelatedField)
            and _reads_as_primary_key(type(field))
            and field.pk_field is None
            and len(source) == 1
            and _forward(model, source[0]) is not None
        ):
            attname = model._meta.get_field(source[0]).attname  # type: ignore[union-attr]
            plan.append(PlanStep(name, VALUE, operator.attrgetter(attname), None, field))
        elif not isinstance(field, serializers.RelatedField | serializers.BaseSerializer) and (
            _value_path(model, source, row_attributes)
        ):
            getter = operator.attrgetter(".".join(source))
            plan.append(PlanStep(name, VALUE, getter, fast_write(field), field))
        else:
            plan.append(PlanStep(name, DRF, None, None, field))
    return plan


class PlannedRowsMixin:
    """Serialise rows of a `ModelSerializer`'s model by a plan made once per serializer
    (`read_plan`) instead of DRF's way per field per row (issue 18).

    DRF's `Serializer.to_representation` asks of every field of every row whether the row is
    a Mapping (an abstract-class check), walks the source path checking each step for a
    callable, and dispatches `to_representation` through the field: for a page of 100
    trajectories of 35 fields that was half the request's Python calls. The plan reads each
    field with one `operator.attrgetter` and writes it with a builtin where DRF's own
    `to_representation` is one. The answer is exactly DRF's: a field the plan cannot read
    the plain way (a callable, a nested serializer), a row missing an attribute, and a row
    that is not an instance of the model go DRF's way. Tests compare the writes with DRF's
    (`core/tests/test_planned_rows.py`) and the rows of the lists with DRF's rows
    (`clients/tests/test_views_api.py`, `trajectories/tests/test_api_list_rows.py`). Put it
    before `ModelSerializer` in the bases (used by the client and trajectory lists).

    `row_attributes` names attributes that are not the model's but that a view sets on its
    rows as plain values (never a callable, which DRF would call): read the plain way too.
    A row without one goes DRF's way (the field's default)."""

    row_attributes: ClassVar[frozenset[str]] = frozenset()

    #: Per class, the plan every instance may use (None: the class has none, each instance
    #: makes its own): see `_row_plan`.
    _shared_plans: ClassVar[dict[type, tuple[PlanStep, ...] | None]] = {}

    def to_representation(self, instance: Any) -> dict[str, Any]:
        model: type[Model] = self.Meta.model  # type: ignore[attr-defined]
        if not isinstance(instance, model):
            return super().to_representation(instance)  # type: ignore[misc, no-any-return]
        ret: dict[str, Any] = {}
        for name, kind, read, write, field in self._row_plan():
            if read is not None:
                if kind == METHOD:
                    ret[name] = read(instance)
                    continue
                try:
                    value = read(instance)
                except _MISSING:
                    pass  # DRF's way: the field's default, None or no key
                else:
                    ret[name] = value if value is None or write is None else write(value)
                    continue
            if field is None:  # a shared plan: this serializer's own field
                field = self.fields[name]  # type: ignore[attr-defined]
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check is None else field.to_representation(attribute)
        return ret

    def _row_plan(self) -> list[PlanStep]:
        """The plan of this serializer, made once per instance; or, for a class whose fields
        do not depend on the context (`CachedFieldsMixin`) and whose every step is
        `_shareable`, made once per process from an instance without context and bound to
        this one (its methods), so that a list does not build and bind its serializer's
        fields on every request (issue 18: 3,000 Python calls of a list call)."""
        plan: list[PlanStep] | None = self.__dict__.get("_plan")
        if plan is None:
            shared = self._shared_plan()
            if shared is None:
                model: type[Model] = self.Meta.model  # type: ignore[attr-defined]
                plan = read_plan(self, model, self.row_attributes)  # type: ignore[arg-type]
            else:
                plan = [
                    step._replace(read=getattr(self, step.read.__name__))
                    if step.kind == METHOD and step.read is not None
                    else step
                    for step in shared
                ]
            self.__dict__["_plan"] = plan
        return plan

    def _shared_plan(self) -> tuple[PlanStep, ...] | None:
        cls = type(self)
        plans = PlannedRowsMixin._shared_plans
        if cls not in plans:
            shared: tuple[PlanStep, ...] | None = None
            if isinstance(self, CachedFieldsMixin):
                model: type[Model] = self.Meta.model  # type: ignore[attr-defined]
                plan = read_plan(cls(), model, self.row_attributes)  # type: ignore[arg-type]
                # An instance without context, so that the plan keeps no request alive.
                if all(_shareable(step) for step in plan):
                    shared = tuple(step._replace(field=None) for step in plan)
            plans[cls] = shared
        return plans[cls]


class WholeIdRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related object named by its id, which is a whole number. DRF's own field hands a
    JSON number such as `1.5` to the database look-up, which truncates it to 1 and so finds
    (and stores) another object than the caller named: nothing lost, clear errors. A number
    with a fraction part, or a JSON `true`, is refused as the wrong type ("Geef een id op
    (een geheel getal).", `core.problems`); a whole number, also written as a string, is
    looked up as before. Every `ModelSerializer` uses it for its relations
    (`CoreConfig.ready`); the OpenAPI document is unchanged (an integer id)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, float):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class CallerRelatedField(WholeIdRelatedField):
    """A related object a request body names by id, looked up among the rows the caller may
    see (`caller_queryset`: by default `core.access.scoped` over the field's queryset; the
    caller is the signed-in user, never a value from the body). An id out of the caller's
    reach answers as an id no row has ("Onbekend id N …", code `does_not_exist`,
    `core.problems`): the API does not tell which ids exist elsewhere (R-SEC-1). Such an id
    of a row that does exist is recorded as a denied read (`core.access.report_if_exists`,
    R-SEC-2), as an out-of-scope id is everywhere else: one record naming the object type and
    the id asked for, in the caller's trail. An accepted id costs no extra statement; the
    refusal path one."""

    def caller(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return user if getattr(user, "is_authenticated", False) else None

    def all_rows(self) -> QuerySet[Any]:
        """The field's own queryset, unscoped (a writable field always has one)."""
        rows = super().get_queryset()
        assert rows is not None, "A writable CallerRelatedField needs a queryset."
        return rows

    def caller_queryset(self, user: Any) -> QuerySet[Any]:
        """The rows `user` may name; override for a model without a scope policy."""
        return scoped(user, self.all_rows())

    def get_queryset(self) -> QuerySet[Any]:
        user = self.caller()
        if user is None:
            return self.all_rows().none()
        return self.caller_queryset(user)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except ValidationError as exc:
            user = self.caller()
            codes = exc.get_codes()
            if user is not None and isinstance(codes, list) and "does_not_exist" in codes:
                report_if_exists(user, self.all_rows(), pk=data)
            raise
