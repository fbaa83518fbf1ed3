"""Reads of the provider network, always scoped by the caller's access (R-SEC-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, connections, router
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Expression,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)

from opstap.accounts.models import User, display_name_of
from opstap.core.access import get_object_for_user, scoped
from opstap.core.actor import Actor
from opstap.organisations.models import Municipality

# Public face for other apps: who is provider staff, and for which provider (R-SEC-1).
from .access import is_provider_staff as is_provider_staff
from .access import provider_id_of as provider_id_of
from .models import (
    BankAccountStatus,
    Contract,
    ContractStatus,
    CpiIndexation,
    Evaluation,
    EvaluationStatus,
    Evidence,
    NetworkSettings,
    PriceType,
    Product,
    ProductChangeProposal,
    ProductCode,
    ProductLadderStep,
    ProductLocation,
    ProductPrice,
    ProductStatus,
    ProductTargetGroup,
    PromotedModule,
    ProposalStatus,
    Provider,
    ProviderBankAccount,
    ProviderStatus,
    RateCeiling,
    Signal,
    Tile,
    TileKind,
)
from .rules import contracts as contract_rules
from .rules import network as network_rules


def network_settings(organisation_id: int | None) -> NetworkSettings:
    """The organisation's network settings, or the defaults when none were saved."""
    if organisation_id is None:
        return NetworkSettings()  # the defaults, for a user outside any organisation
    found = NetworkSettings.objects.filter(organisation_id=organisation_id).first()
    return found or NetworkSettings(organisation_id=organisation_id)


# --- Prices and ceiling ---------------------------------------------------------------------


def _valid_on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def product_price_row_on(product: Product, on: dt.date) -> ProductPrice | None:
    return (
        ProductPrice.objects.filter(product=product)
        .filter(_valid_on(on))
        .order_by("-valid_from")
        .first()
    )


def product_price_on(product: Product, on: dt.date) -> Decimal | None:
    """The price (or hourly rate) valid on `on` (R-NET-6): an order uses its order date."""
    row = product_price_row_on(product, on)
    return row.amount if row is not None else None


def rate_ceiling_on(organisation_id: int, on: dt.date) -> RateCeiling | None:
    """The jobfinding/jobcoaching ceiling valid on `on` (R-NET-7): the organisation's own
    (indexed) row first, else the regional default."""
    rows = RateCeiling.objects.filter(_valid_on(on)).filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    )
    own = rows.filter(organisation_id=organisation_id).order_by("-valid_from").first()
    return own or rows.filter(organisation__isnull=True).order_by("-valid_from").first()


def price_subquery(on: dt.date) -> Subquery:
    return Subquery(
        ProductPrice.objects.filter(product=OuterRef("pk"))
        .filter(_valid_on(on))
        .order_by("-valid_from")
        .values("amount")[:1],
        output_field=DecimalField(max_digits=10, decimal_places=2),
    )


# --- Reference data -------------------------------------------------------------------------


def tiles(*, on: dt.date, kind: str | None = None, purchasable_only: bool = True) -> QuerySet[Tile]:
    qs = Tile.objects.filter(_valid_on(on))
    if kind:
        qs = qs.filter(kind=kind)
    if purchasable_only:
        qs = qs.filter(purchasable=True)
    return qs.order_by("kind", "number")


def work_tiles(on: dt.date) -> QuerySet[Tile]:
    return tiles(on=on, kind=TileKind.WORK)


def promoted_modules(organisation_id: int, on: dt.date) -> QuerySet[PromotedModule]:
    return (
        PromotedModule.objects.filter(_valid_on(on))
        .filter(Q(organisation_id=organisation_id) | Q(organisation__isnull=True))
        .prefetch_related("tiles")
    )


# --- The instrument guide (R-NET-5) ---------------------------------------------------------


@dataclass(frozen=True)
class GuideQuery:
    text: str = ""
    tile: str = ""  # tile code, e.g. EW07
    target_group: str = ""
    ladder_step: str = ""
    municipality_id: int | None = None
    provider_id: int | None = None
    max_price: Decimal | None = None
    max_duration_days: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _text_filter(qs: QuerySet[Product], text: str) -> QuerySet[Product]:
    """Every word of `text` in the product's text (substring, so "coach" finds
    "Jobcoaching" on every database); on PostgreSQL also the Dutch full-text match, which
    adds stemmed forms ("trajecten" finds "traject"), on the stored vector (`StoredSearchVector`).
    A product found on SQLite is therefore always found on PostgreSQL too."""
    text = text.strip()
    if not text:
        return qs
    words = [w for w in text.split() if len(w) > 2 or w.isdigit()]
    substring = Q()
    for word in words:
        substring &= Q(search_text__icontains=word)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(text, config="dutch", search_type="websearch")
        full_text = Q(_search=query)
        return qs.alias(_search=StoredSearchVector()).filter(
            full_text | substring if words else full_text
        )
    return qs.filter(substring)


class StoredSearchVector(Expression):
    """The product's stored Dutch search vector on PostgreSQL (migration 0007: a generated
    column, to_tsvector('dutch', search_text), with a GIN index), so that a search no longer
    computes the vector of every product. The column is not a model field; this expression
    names it on the product table of the query, by the alias Django gives that table."""

    def __init__(self) -> None:
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.text: Any = F("search_text")

    def get_source_expressions(self) -> list[Any]:
        return [self.text]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.text,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        # `text` resolves to the product table's search_text column (a Col); relabelled
        # with the query when it becomes a subquery.
        alias = compiler.quote_name_unless_alias(self.text.alias)
        return f"{alias}.{connection.ops.quote_name('search_vector')}", []


def guide_products(user: Actor, query: GuideQuery, *, on: dt.date) -> QuerySet[Product]:
    """Active products matching the guide's filters, with the price valid on `on` annotated
    as `price_on`. Constant number of queries per page (prefetches)."""
    return _guide_filter(scoped(user, Product.objects.all()), query, on=on)


def guide_products_public(
    organisation_id: int, query: GuideQuery, *, on: dt.date
) -> QuerySet[Product]:
    """The public (resident/employer) guide: products are not personal data, so the
    organisation filter is the whole scope; the page shows no prices (R-NET-5)."""
    return _guide_filter(Product.objects.filter(organisation_id=organisation_id), query, on=on)


def _guide_filter(qs: QuerySet[Product], query: GuideQuery, *, on: dt.date) -> QuerySet[Product]:
    qs = qs.filter(status=ProductStatus.ACTIVE, provider__status=ProviderStatus.ACTIVE)
    qs = _text_filter(qs, query.text)
    # EXISTS instead of joins: no duplicate rows, so no DISTINCT and a cheap COUNT.
    if query.tile:
        qs = qs.filter(
            Exists(
                Product.tiles.through.objects.filter(product=OuterRef("pk"), tile__code=query.tile)
            )
        )
    if query.target_group:
        qs = qs.filter(
            Exists(
                ProductTargetGroup.objects.filter(product=OuterRef("pk"), code=query.target_group)
            )
        )
    if query.ladder_step:
        qs = qs.filter(
            Exists(ProductLadderStep.objects.filter(product=OuterRef("pk"), step=query.ladder_step))
        )
    if query.municipality_id:
        qs = qs.filter(
            Exists(
                ProductLocation.objects.filter(
                    product=OuterRef("pk"), municipality_id=query.municipality_id
                )
            )
        )
    if query.provider_id:
        qs = qs.filter(provider_id=query.provider_id)
    if query.max_duration_days:
        qs = qs.filter(nominal_duration_days__lte=query.max_duration_days)
    qs = qs.annotate(price_on=price_subquery(on))
    if query.max_price is not None:
        qs = qs.filter(price_on__lte=query.max_price)
    return (
        qs.select_related("provider", "product_code")
        .prefetch_related(
            Prefetch("tiles", queryset=Tile.objects.order_by("kind", "number")),
            "locations",
            "target_groups",
            "ladder_steps",
        )
        .order_by("name", "pk")
    )


# --- The guide page: the same search in fewer statements (issue 18) -------------------------
#
# The page needs display values only, so it reads rows (no model instances) and gives the
# count with the first rows (a window function), the tiles, locations, target groups and
# ladder steps of a page in one statement instead of four prefetches, and the filter choices
# in one statement instead of three. The API keeps `guide_products` (model instances).
#
# The two UNION ALL statements are written out: plain SQL that SQLite and PostgreSQL both
# run, with the tables' names from the models and every value a parameter. Built with the
# ORM (`.union()`) the same statement cost 1.3-1.5 ms of Python to compile against 0.1 ms
# to run; the tests compare their rows with the ORM's selectors.


def _tables(*models: type[Any]) -> list[str]:
    return [connection.ops.quote_name(model._meta.db_table) for model in models]


def _rows(sql: str, params: list[Any], model: type[Any]) -> list[tuple[Any, ...]]:
    """The rows of a read of `model`'s tables, on the database the router reads it from."""
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


@dataclass(frozen=True)
class Choice:
    """A filter choice: the value the form posts and the name it shows."""

    pk: int
    name: str


@dataclass(frozen=True)
class GuideChoices:
    tiles: list[Tile]  # unsaved, for `str(tile)`: "5. Jobcoaching"
    municipalities: list[Choice]
    providers: list[Choice]


def guide_filter_choices(organisation_id: int, *, on: dt.date) -> GuideChoices:
    """The guide's filter choices in one statement: `work_tiles(on)` (by number), the
    organisation's municipalities (`municipalities_of`) and its active providers (by name)."""
    tile, municipality, provider = _tables(Tile, Municipality, Provider)
    sql = (
        f"SELECT 0, code, name, number FROM {tile} WHERE kind = %s AND purchasable = %s "  # noqa: S608
        "AND valid_from <= %s AND (valid_until IS NULL OR valid_until >= %s) "
        f"UNION ALL SELECT 1, CAST(id AS VARCHAR(20)), name, 0 FROM {municipality} "
        "WHERE organisation_id = %s "
        f"UNION ALL SELECT 2, CAST(id AS VARCHAR(20)), name, 0 FROM {provider} "
        "WHERE organisation_id = %s AND status = %s "
        "ORDER BY 1, 4, 3"
    )
    params = [TileKind.WORK.value, True, on, on, organisation_id]
    params += [organisation_id, ProviderStatus.ACTIVE.value]
    tiles: list[Tile] = []
    municipalities: list[Choice] = []
    providers: list[Choice] = []
    for part, key, label, number in _rows(sql, params, Tile):
        if part == 0:
            tiles.append(Tile(code=key, kind=TileKind.WORK, number=number, name=label))
        else:
            (municipalities if part == 1 else providers).append(Choice(int(key), label))
    return GuideChoices(tiles, municipalities, providers)


@dataclass
class GuideRow:
    """One product as the guide page shows it."""

    pk: int
    name: str
    code: int
    provider: str
    duration_days: int
    price: Decimal | None
    hourly: bool
    tiles: list[str] = field(default_factory=list)  # "5. Jobcoaching", by kind and number
    locations: list[str] = field(default_factory=list)  # cities, by name
    target_groups: list[str] = field(default_factory=list)  # codes
    ladder_steps: list[str] = field(default_factory=list)  # codes


def guide_rows(
    qs: QuerySet[Product], *, offset: int, limit: int
) -> tuple[list[GuideRow], int | None]:
    """One page of the guide's products (`guide_products` or `guide_products_public`, in
    their order) and the number of all matches, read with the rows; the number is None
    when the page is empty (past the end, or nothing found)."""
    page = list(
        qs.prefetch_related(None)
        .annotate(total_=Window(Count("*")))
        .values(
            "pk",
            "name",
            "product_code__code",
            "provider__name",
            "nominal_duration_days",
            "price_on",
            "price_type",
            "total_",
        )[offset : offset + limit]
    )
    rows = [
        GuideRow(
            pk=r["pk"],
            name=r["name"],
            code=r["product_code__code"],
            provider=r["provider__name"],
            duration_days=r["nominal_duration_days"],
            price=r["price_on"],
            hourly=r["price_type"] == PriceType.HOURLY,
        )
        for r in page
    ]
    _add_guide_details(rows)
    return rows, page[0]["total_"] if page else None


@dataclass(frozen=True)
class GuideSearch:
    """The guide's search as one written-out statement (issue 18): what `guide_products`
    (signed in, `user`) or `guide_products_public` (`user` None) selects, in their order,
    with what `guide_rows` reads of each product. Built with the ORM, the statement cost
    about 1 ms of Python to compile per page against 0.3-2 ms to run. Plain SQL that
    SQLite and PostgreSQL both run: table and column names from the models, every value a
    parameter; the text filter as `_text_filter` has it (substring of every word through
    the database's own `icontains`, on PostgreSQL or the Dutch full-text match on the
    stored vector). The scope is `product_reach`, the rule `product_scope` applies. The
    tests compare its rows with the ORM's for every filter, user and database."""

    where: str
    params: tuple[Any, ...]
    price_sql: str
    price_params: tuple[Any, ...]

    @classmethod
    def of(
        cls, user: Actor | None, organisation_id: int, query: GuideQuery, *, on: dt.date
    ) -> GuideSearch:
        from opstap.core.actor import active_actor

        from .access import product_reach

        price, product_tiles, tile, group, step, location = _tables(
            ProductPrice,
            Product.tiles.through,
            Tile,
            ProductTargetGroup,
            ProductLadderStep,
            ProductLocation,
        )
        price_sql = (
            f"(SELECT pp.amount FROM {price} pp WHERE pp.product_id = p.id "  # noqa: S608
            "AND pp.valid_from <= %s AND (pp.valid_until IS NULL OR pp.valid_until >= %s) "
            "ORDER BY pp.valid_from DESC LIMIT 1)"
        )
        price_params = (on, on)
        where = ["p.status = %s", "v.status = %s"]
        params: list[Any] = [ProductStatus.ACTIVE.value, ProviderStatus.ACTIVE.value]
        if user is None:  # the public guide: the organisation is the whole scope
            where.append("p.organisation_id = %s")
            params.append(organisation_id)
        else:
            actor = active_actor(user)
            reach = product_reach(actor) if actor is not None else None
            if actor is None or actor.organisation_id is None or reach is None or not reach.visible:
                where.append("1 = 0")  # `scoped`: nothing
            else:
                where.append("p.organisation_id = %s")
                params.append(actor.organisation_id)
                if reach.provider_id is not None:
                    where.append("p.provider_id = %s")
                    params.append(reach.provider_id)
        text_sql, text_params = _text_condition(query.text)
        if text_sql:
            where.append(text_sql)
            params += text_params
        if query.tile:
            where.append(
                f"EXISTS (SELECT 1 FROM {product_tiles} pt JOIN {tile} t ON t.id = pt.tile_id "  # noqa: S608
                "WHERE pt.product_id = p.id AND t.code = %s)"
            )
            params.append(query.tile)
        if query.target_group:
            where.append(
                f"EXISTS (SELECT 1 FROM {group} g WHERE g.product_id = p.id AND g.code = %s)"  # noqa: S608
            )
            params.append(query.target_group)
        if query.ladder_step:
            where.append(
                f"EXISTS (SELECT 1 FROM {step} s WHERE s.product_id = p.id AND s.step = %s)"  # noqa: S608
            )
            params.append(query.ladder_step)
        if query.municipality_id:
            where.append(
                f"EXISTS (SELECT 1 FROM {location} l WHERE l.product_id = p.id "  # noqa: S608
                "AND l.municipality_id = %s)"
            )
            params.append(query.municipality_id)
        if query.provider_id:
            where.append("p.provider_id = %s")
            params.append(query.provider_id)
        if query.max_duration_days:
            where.append("p.nominal_duration_days <= %s")
            params.append(query.max_duration_days)
        if query.max_price is not None:
            amount = ProductPrice._meta.get_field("amount")
            where.append(f"{price_sql} <= %s")
            params += [*price_params, amount.get_db_prep_value(query.max_price, connection)]
        return cls(" AND ".join(where), tuple(params), price_sql, price_params)

    def _from(self) -> str:
        product, provider, code = _tables(Product, Provider, ProductCode)
        return (
            f"FROM {product} p JOIN {provider} v ON v.id = p.provider_id "
            f"JOIN {code} c ON c.id = p.product_code_id WHERE {self.where}"
        )

    def rows(self, *, offset: int, limit: int) -> tuple[list[GuideRow], int | None]:
        """One page, as `guide_rows` gives it: the rows with their details and the number
        of all matches (None when the page is empty)."""
        sql = (
            "SELECT p.id, p.name, c.code, v.name, p.nominal_duration_days, "
            f"{self.price_sql}, p.price_type, COUNT(*) OVER () {self._from()} "
            "ORDER BY p.name, p.id LIMIT %s OFFSET %s"
        )
        params = [*self.price_params, *self.params, limit, offset]
        found = _rows(sql, params, Product)
        rows = [
            GuideRow(
                pk=pk,
                name=name,
                code=code,
                provider=provider,
                duration_days=days,
                price=_decimal(price),
                hourly=price_type == PriceType.HOURLY,
            )
            for pk, name, code, provider, days, price, price_type, _total in found
        ]
        _add_guide_details(rows)
        return rows, found[0][7] if found else None

    def count(self) -> int:
        sql = f"SELECT COUNT(*) {self._from()}"
        return int(_rows(sql, list(self.params), Product)[0][0])


_PRICE_PLACES = Decimal("0.01")


def _decimal(value: Any) -> Decimal | None:
    """A price as the ORM gives it (a `DecimalField` of two places; SQLite hands back a
    float or an int)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(_PRICE_PLACES)


def _text_condition(text: str) -> tuple[str, list[Any]]:
    """`_text_filter` written out: every word of `text` as a substring (the database's own
    `icontains`); on PostgreSQL or the Dutch full-text match on the stored vector."""
    text = text.strip()
    if not text:
        return "", []
    words = [w for w in text.split() if len(w) > 2 or w.isdigit()]
    field = Product._meta.get_field("search_text")
    column = connection.ops.lookup_cast("icontains", field.get_internal_type()) % "p.search_text"
    operators: dict[str, str] = connection.operators  # type: ignore[attr-defined]
    like = operators["icontains"] % "%s"
    substring = " AND ".join(f"{column} {like}" for _word in words)
    params: list[Any] = [f"%{connection.ops.prep_for_like_query(w)}%" for w in words]
    if connection.vendor == "postgresql":
        full_text = "p.search_vector @@ websearch_to_tsquery('dutch'::regconfig, %s)"
        if words:
            return f"({full_text} OR ({substring}))", [text, *params]
        return full_text, [text]
    return (f"({substring})", params) if words else ("", [])


def _add_guide_details(rows: list[GuideRow]) -> None:
    """The tiles, locations, target groups and ladder steps of these products, in one
    statement (a prefetch each before): tiles by kind and number, locations by city, the
    others as stored."""
    if not rows:
        return
    by_pk = {row.pk: row for row in rows}
    ids = list(by_pk)
    marks = ", ".join(["%s"] * len(ids))
    through, tile, location, group, step = _tables(
        Product.tiles.through, Tile, ProductLocation, ProductTargetGroup, ProductLadderStep
    )
    sql = (
        f"SELECT pt.product_id, 0, t.kind, t.number, t.name FROM {through} pt "  # noqa: S608
        f"JOIN {tile} t ON t.id = pt.tile_id WHERE pt.product_id IN ({marks}) "
        f"UNION ALL SELECT product_id, 1, city, id, city FROM {location} "
        f"WHERE product_id IN ({marks}) "
        f"UNION ALL SELECT product_id, 2, '', id, code FROM {group} "
        f"WHERE product_id IN ({marks}) "
        f"UNION ALL SELECT product_id, 3, '', id, step FROM {step} "
        f"WHERE product_id IN ({marks}) "
        "ORDER BY 1, 2, 3, 4"
    )
    for product_id, part, _key, number, label in _rows(sql, ids * 4, Product):
        row = by_pk[product_id]
        if part == 0:
            row.tiles.append(f"{number}. {label}")
        elif part == 1:
            row.locations.append(label)
        elif part == 2:
            row.target_groups.append(label)
        else:
            row.ladder_steps.append(label)


@dataclass(frozen=True)
class PromotedRow:
    name: str
    tile_numbers: list[int]


def promoted_rows(organisation_id: int, on: dt.date) -> list[PromotedRow]:
    """`promoted_modules` as the guide shows them (name and tile numbers, by name, then tile
    kind and number), in one statement, written out: the ORM's join through the tiles cost
    about twice the statement's run in Python to compile."""
    through = PromotedModule.tiles.through
    module, links, tile = _tables(PromotedModule, through, Tile)
    module_id = through._meta.get_field("promotedmodule").column
    tile_id = through._meta.get_field("tile").column
    sql = (
        f"SELECT m.id, m.name, t.number FROM {module} m "  # noqa: S608
        f"LEFT JOIN {links} mt ON mt.{module_id} = m.id LEFT JOIN {tile} t ON t.id = mt.{tile_id} "
        "WHERE m.valid_from <= %s AND (m.valid_until IS NULL OR m.valid_until >= %s) "
        "AND (m.organisation_id = %s OR m.organisation_id IS NULL) "
        "ORDER BY m.name, m.id, t.kind, t.number"
    )
    rows: dict[int, PromotedRow] = {}
    for pk, name, number in _rows(sql, [on, on, organisation_id], PromotedModule):
        row = rows.setdefault(pk, PromotedRow(name, []))
        if number is not None:
            row.tile_numbers.append(number)
    return list(rows.values())


# --- Providers and their pages --------------------------------------------------------------


def providers_for(user: Actor) -> QuerySet[Provider]:
    return (
        scoped(user, Provider.objects.all())
        .select_related("contract_manager")
        .annotate(
            product_count=Count(
                "products", filter=Q(products__status=ProductStatus.ACTIVE), distinct=True
            )
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class ProviderListRow:
    """One provider as the provider list shows it."""

    pk: int
    name: str
    status: str
    contract_manager: str  # the display name, "" without a contract manager
    product_count: int
    last_activity_on: dt.date | None


def provider_list_rows(user: Actor) -> list[ProviderListRow]:
    """`providers_for` as rows for the provider list (no model instances: the page shows
    display values only), in the same order: one written-out statement (issue 18; the ORM's
    grouped join cost more Python to build and compile than the statement takes to run),
    the active products counted per provider, the scope from `provider_reach`, the rule of
    `provider_scope`. The tests compare it with `providers_for`."""
    from opstap.core.actor import active_actor

    from .access import provider_reach

    actor = active_actor(user)
    if actor is None or actor.organisation_id is None:
        return []
    reach = provider_reach(actor)
    if not reach.visible:
        return []
    provider, product, account = _tables(Provider, Product, User)
    sql = (
        "SELECT v.id, v.name, v.status, u.first_name, u.last_name, u.username, "  # noqa: S608
        f"(SELECT COUNT(*) FROM {product} p WHERE p.provider_id = v.id AND p.status = %s), "
        f"v.last_activity_on FROM {provider} v LEFT JOIN {account} u "
        "ON u.id = v.contract_manager_id WHERE v.organisation_id = %s"
    )
    params: list[Any] = [ProductStatus.ACTIVE.value, actor.organisation_id]
    if reach.provider_id is not None:
        sql += " AND v.id = %s"
        params.append(reach.provider_id)
    sql += " ORDER BY v.name"
    return [
        ProviderListRow(
            pk=pk,
            name=name,
            status=status,
            contract_manager=display_name_of(first, last, username),
            product_count=count,
            last_activity_on=_date(last_activity),
        )
        for pk, name, status, first, last, username, count, last_activity in _rows(
            sql, params, Provider
        )
    ]


def _date(value: Any) -> dt.date | None:
    """A date column as the ORM gives it (SQLite hands back its text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def evidence_for(user: Actor, provider: Provider) -> QuerySet[Evidence]:
    return scoped(user, Evidence.objects.filter(provider=provider)).order_by("kind", "-valid_from")


def evidence_expiring_for(user: Actor, provider: Provider, *, on: dt.date) -> QuerySet[Evidence]:
    """The provider's own evidence that ends within the warning window or has ended (R-NET-2),
    for the provider-staff start page."""
    days = network_settings(user.organisation_id).evidence_warning_days
    return evidence_for(user, provider).filter(
        valid_until__isnull=False, valid_until__lte=network_rules.expiry_warning_until(on, days)
    )


def contracts_for(user: Actor, provider: Provider) -> QuerySet[Contract]:
    return scoped(user, Contract.objects.filter(provider=provider)).prefetch_related("extensions")


def products_for(user: Actor, provider: Provider, *, on: dt.date) -> QuerySet[Product]:
    return (
        scoped(user, Product.objects.filter(provider=provider))
        .annotate(price_on=price_subquery(on))
        .select_related("product_code")
        .prefetch_related("tiles", "locations")
        .order_by("status", "name")
    )


def signals_for(user: Actor, provider: Provider | None = None) -> QuerySet[Signal]:
    qs = scoped(user, Signal.objects.all())
    if provider is not None:
        qs = qs.filter(provider=provider)
    return qs.select_related("provider", "product", "registered_by")


def evaluations_for(user: Actor, provider: Provider) -> QuerySet[Evaluation]:
    return scoped(user, Evaluation.objects.filter(provider=provider))


def proposals_for(user: Actor, *, pending_only: bool = False) -> QuerySet[ProductChangeProposal]:
    qs = scoped(user, ProductChangeProposal.objects.all())
    if pending_only:
        qs = qs.filter(status=ProposalStatus.PENDING)
    return qs.select_related("product", "product__provider", "proposed_by")


# --- Start-page lists for the contract manager ----------------------------------------------


def _managed(
    user: Actor, qs: QuerySet[Any], field: str = "provider__contract_manager"
) -> QuerySet[Any]:
    """Providers without a contract manager show for every contract manager."""
    return qs.filter(Q(**{field: user}) | Q(**{f"{field}__isnull": True}))


def evidence_expiring(user: Actor, *, on: dt.date) -> QuerySet[Evidence]:
    """Evidence whose validity ends within the warning window (or ended, while it is still
    the latest of its kind) for providers of this contract manager (R-NET-2)."""
    days = network_settings(user.organisation_id).evidence_warning_days
    newer = Evidence.objects.filter(
        provider=OuterRef("provider"),
        kind=OuterRef("kind"),
        certificate_kind=OuterRef("certificate_kind"),
        staff_name=OuterRef("staff_name"),
        valid_from__gt=OuterRef("valid_from"),
    )
    qs = (
        scoped(user, Evidence.objects.all())
        .filter(
            provider__status=ProviderStatus.ACTIVE,
            valid_until__isnull=False,
            valid_until__lte=network_rules.expiry_warning_until(on, days),
            valid_until__gte=on - dt.timedelta(days=days),
        )
        .exclude(Exists(newer))
    )
    return _managed(user, qs).select_related("provider").order_by("valid_until")


def contracts_extension_due(user: Actor, *, on: dt.date) -> list[Contract]:
    """Running contracts whose extension decision is due (R-NET-3)."""
    days = network_settings(user.organisation_id).extension_notice_days
    qs = _managed(
        user,
        scoped(user, Contract.objects.all()).filter(
            status=ContractStatus.ACTIVE, end_date__gte=on, terms_granted__lt=4
        ),
    ).select_related("provider")
    due = []
    for contract in qs.filter(end_date__lte=on + dt.timedelta(days=days + 62)):
        if contract_rules.extension_is_due(
            start=contract.start_date,
            terms_granted=contract.terms_granted,
            on=on,
            notice_days=days,
        ):
            contract.decision_due = contract_rules.extension_decision_due(contract.end_date)
            due.append(contract)
    return sorted(due, key=lambda c: c.end_date)


def providers_inactive(user: Actor, *, on: dt.date) -> QuerySet[Provider]:
    """Active providers without activity for the configured months (R-NET-8)."""
    months = network_settings(user.organisation_id).inactivity_months
    cutoff = network_rules.inactive_since_cutoff(on, months)
    qs = (
        scoped(user, Provider.objects.all())
        .filter(status=ProviderStatus.ACTIVE)
        .filter(
            Q(last_activity_on__lte=cutoff)
            | Q(last_activity_on__isnull=True, joined_on__lte=cutoff)
        )
    )
    return _managed(user, qs, "contract_manager").order_by("last_activity_on", "name")


def open_evaluations(user: Actor) -> QuerySet[Evaluation]:
    return scoped(user, Evaluation.objects.filter(status=EvaluationStatus.OPEN)).select_related(
        "provider"
    )


# --- Indexation (R-NET-6) -------------------------------------------------------------------


@dataclass(frozen=True)
class IndexationRow:
    provider_name: str
    product_id: int
    product_name: str
    old_price: Decimal
    new_price: Decimal
    capped: bool


def indexations_for(user: Actor) -> QuerySet[CpiIndexation]:
    return scoped(user, CpiIndexation.objects.all())


def indexation_applied_rows(indexation: CpiIndexation) -> list[IndexationRow]:
    """Old and new prices side by side after an indexation was applied."""
    rows = []
    new_prices = (
        ProductPrice.objects.filter(indexation=indexation)
        .select_related("product", "product__provider")
        .order_by("product__provider__name", "product__name")
    )
    effective = dt.date(indexation.year, 1, 1)
    day_before = effective - dt.timedelta(days=1)
    old_by_product = {
        p.product_id: p.amount
        for p in ProductPrice.objects.filter(
            product_id__in=[n.product_id for n in new_prices]
        ).filter(_valid_on(day_before))
    }
    for new in new_prices:
        old = old_by_product.get(new.product_id, new.amount)
        rows.append(
            IndexationRow(
                provider_name=new.product.provider.name,
                product_id=new.product_id,
                product_name=new.product.name,
                old_price=old,
                new_price=new.amount,
                capped=False,
            )
        )
    return rows


# --- Provider-wide facts for the performance indicators (R-PI-1 items 4-6) -----------------


@dataclass(frozen=True)
class ProviderIndicatorFacts:
    evaluations: int
    evaluations_cooperated: int
    staff: int
    staff_with_vog: int
    complaints_procedure: bool


def _person_key(name: str) -> str:
    return " ".join(name.lower().split())


def provider_indicator_facts(
    *, provider_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, ProviderIndicatorFacts]:
    """Per provider, three queries whatever the number of providers:

    - evaluations open at some time in [start, end] and those where the meeting was held and
      improvement actions recorded (item 4);
    - known staff — the provider's staff accounts and the people named on its VOG evidence —
      and those with a VOG valid on `end` (item 5; names compared case- and
      space-insensitively);
    - a complaints procedure valid on `end` (item 6)."""
    from django.db.models import Count

    from .models import EvidenceKind, ProviderMembership

    evaluations: dict[int, tuple[int, int]] = {
        row["provider_id"]: (row["n"], row["ok"])
        for row in Evaluation.objects.filter(provider_id__in=provider_ids, opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("provider_id")
        .annotate(
            n=Count("id"),
            ok=Count("id", filter=Q(held_on__isnull=False) & ~Q(improvement_actions="")),
        )
        .order_by()
    }
    staff: dict[int, set[str]] = {pid: set() for pid in provider_ids}
    for provider_id, first, last in ProviderMembership.objects.filter(
        provider_id__in=provider_ids, user__is_active=True
    ).values_list("provider_id", "user__first_name", "user__last_name"):
        staff[provider_id].add(_person_key(f"{first} {last}"))
    with_vog: dict[int, set[str]] = {pid: set() for pid in provider_ids}
    complaints: set[int] = set()
    for provider_id, kind, staff_name, valid_from, valid_until in (
        Evidence.objects.filter(
            provider_id__in=provider_ids, kind__in=[EvidenceKind.VOG, EvidenceKind.COMPLAINTS]
        )
        .values_list("provider_id", "kind", "staff_name", "valid_from", "valid_until")
        .order_by()
    ):
        valid = valid_from <= end and (valid_until is None or valid_until >= end)
        if kind == EvidenceKind.COMPLAINTS:
            if valid:
                complaints.add(provider_id)
            continue
        name = _person_key(staff_name)
        if not name:
            continue
        staff[provider_id].add(name)
        if valid:
            with_vog[provider_id].add(name)
    return {
        pid: ProviderIndicatorFacts(
            evaluations=evaluations.get(pid, (0, 0))[0],
            evaluations_cooperated=evaluations.get(pid, (0, 0))[1],
            staff=len(staff[pid]),
            staff_with_vog=len(with_vog[pid] & staff[pid]),
            complaints_procedure=pid in complaints,
        )
        for pid in provider_ids
    }


def provider_names_by_user(user_ids: list[int]) -> dict[int, str]:
    """The provider each of these users works for (provider staff only), in one query."""
    from .models import ProviderMembership

    return dict(
        ProviderMembership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "provider__name"
        )
    )


def client_signals_all(*, organisation_id: int, client_id: int) -> QuerySet[Signal]:
    """Right of access (R-SEC-5): dissatisfaction signals about one client's case (unscoped;
    the access request was checked when registered)."""
    return (
        Signal.objects.filter(organisation_id=organisation_id, client_id=client_id)
        .select_related("provider", "product")
        .order_by("registered_on", "id")
    )


def provider_choices(user: Actor) -> list[tuple[int, str]]:
    """(id, name) of the providers the user may see, by name: for filter choices."""
    return list(scoped(user, Provider.objects.all()).order_by("name").values_list("pk", "name"))


def provider_for_user(user: Actor, pk: int) -> Provider:
    """One provider the user may see, or Http404 (R-SEC-1), for other apps' pages."""
    return get_object_for_user(user, Provider.objects.all(), pk=pk)


def bank_accounts_for(user: Actor, provider: Provider) -> QuerySet[ProviderBankAccount]:
    """A provider's bank accounts (history, newest first) within the user's scope."""
    return scoped(user, ProviderBankAccount.objects.filter(provider=provider)).select_related(
        "proposed_by", "decided_by"
    )


def pending_bank_accounts(user: Actor) -> QuerySet[ProviderBankAccount]:
    """Changes waiting for a second person, for the work list."""
    return scoped(
        user, ProviderBankAccount.objects.filter(status=BankAccountStatus.PENDING)
    ).select_related("provider", "proposed_by")


def active_bank_accounts(provider_ids: list[int]) -> dict[int, ProviderBankAccount]:
    """The confirmed account in use per provider (for payments); providers without one are
    missing from the result. Not scoped: the caller already holds the payment batch."""
    rows = ProviderBankAccount.objects.filter(
        provider_id__in=provider_ids, status=BankAccountStatus.ACTIVE
    )
    return {row.provider_id: row for row in rows}
