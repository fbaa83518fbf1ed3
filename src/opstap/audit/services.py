"""Writing the audit trail (R-SEC-2). The only way records are created."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from opstap.core.actor import Actor, actor_of
from opstap.core.audit_names import object_type_for

from . import chain as hash_chain
from .masking import clean_changes as _clean_changes
from .models import AuditAction, AuditChainHead, AuditRecord
from .partitions import audit_partitions_drop_empty_before as audit_partitions_drop_empty_before
from .partitions import audit_partitions_ensure as audit_partitions_ensure

_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class RealActor:
    """The administrator really acting while impersonating another user (R-SEC-2)."""

    user_id: int
    username: str


# Set by the accounts middleware for the duration of an impersonated request, so that every
# record written during it notes the real user, also when a service writes it without the
# request at hand.
_REAL_ACTOR: ContextVar[RealActor | None] = ContextVar("opstap_audit_real_actor", default=None)


@contextmanager
def acting_as(real_actor: RealActor | None) -> Iterator[None]:
    """Note `real_actor` on every audit record written inside the block."""
    token = _REAL_ACTOR.set(real_actor)
    try:
        yield
    finally:
        _REAL_ACTOR.reset(token)


def current_real_actor() -> RealActor | None:
    return _REAL_ACTOR.get()


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    action: AuditAction | str,
    actor: Actor | None = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: object = "",
    client_id: int | None = None,
    purpose: str = "",
    result: str = "ok",
    changes: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditRecord:
    """Append one record. `actor` defaults to `request.user` (the effective user; while an
    administrator impersonates someone, the real administrator is noted in `real_actor_*`)."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = actor_of(request)
    real = current_real_actor()
    real_user = getattr(request, "real_user", None) if request is not None else None
    if real is None and real_user is not None:
        real = RealActor(user_id=real_user.pk, username=real_user.get_username())
    user = actor if actor is not None and actor.is_authenticated else None
    roles = ",".join(sorted(user.role_codes)) if user is not None else ""
    if organisation_id is None and user is not None:
        organisation_id = user.organisation_id
    record = AuditRecord(
        timestamp=timezone.now(),
        organisation_id=organisation_id,
        actor_id=user.pk if user is not None else None,
        actor_username=user.get_username() if user is not None else "",
        actor_roles=roles[:255],
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        client_id=client_id,
        purpose=purpose[:200],
        result=result,
        ip_address=_client_ip(request),
        changes=_clean_changes(changes),
        real_actor_id=real.user_id if real is not None else None,
        real_actor_username=real.username if real is not None else "",
    )
    if _default_connection().vendor == "postgresql":
        # One statement: linked and inserted by `_append_linked` (no BEGIN, head, COMMIT).
        values = {f.attname: getattr(record, f.attname) for f in _AUDIT_FIELDS}
        (record.pk, *linked) = _append_linked([values], returning=True)[0]
        for name, value in zip(_LINK_COLUMNS, linked, strict=True):
            setattr(record, name, value)
        record._state.adding = False
        record._state.db = DEFAULT_DB_ALIAS
        return record
    with transaction.atomic(savepoint=False):
        content = {name: getattr(record, name) for name in hash_chain.CHAINED_FIELDS}
        _link([content])
        for name in _LINK_COLUMNS:
            setattr(record, name, content[name])
        record.save(force_insert=True)
    return record


def audit_saved(
    *,
    actor: Actor,
    object_type: str,
    object_id: object,
    purpose: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> AuditRecord:
    """The record of a row saved from a form of fields: `CREATE` when there was no row
    (`before` empty), else `UPDATE`; `changes` holds each field whose value changed as
    [before, after]."""
    return audit_log(
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )


def audited_save(
    *,
    actor: Actor,
    model: type[_M],
    row: _M | None,
    values: Mapping[str, Any],
    audited: Callable[[_M], dict[str, Any]],
    object_type: str,
    purpose: str,
) -> _M:
    """Add a row of `model` with `values` (`row` None), or lock `row` and set `values` on it;
    save it and write its `audit_saved` record, `audited(row)` read before and after the
    change (an added row has no before). Call it inside the service's transaction."""
    before: dict[str, Any] = {}
    if row is None:
        row = model(**values)
    else:
        row = model._default_manager.select_for_update().get(pk=row.pk)
        before = audited(row)
        for name, value in values.items():
            setattr(row, name, value)
    row.save()
    audit_saved(
        actor=actor,
        object_type=object_type,
        object_id=row.pk,
        purpose=purpose,
        before=before,
        after=audited(row),
    )
    return row


_CHAINED = {f.name: f for f in AuditRecord._meta.concrete_fields}


def _normalised(record: dict[str, Any]) -> dict[str, Any]:
    """The record's content as the database will give it back (str object ids, defaults)."""
    content: dict[str, Any] = {}
    for name in hash_chain.CHAINED_FIELDS:
        field = _CHAINED[name]
        if name in record:
            value = record[name]
        elif field.attname in record:
            value = record[field.attname]
        else:
            value = field.get_default()
        if name == "changes":
            value = _clean_changes(value)
        elif value is not None and name != "timestamp":
            value = field.to_python(value)
        content[name] = value
    return content


#: The chain head's statements, written out: a list of 25 rows audits on every list call, and
#: the ORM built and compiled these two on each (issue 18: 850 of the ≈9,800 Python calls
#: of `audit_listed` for 25 rows). The same rows and lock as
#: `AuditChainHead.objects.select_for_update().filter(chain=…)` and its `update`.
_HEAD_TABLE = AuditChainHead._meta.db_table


def _default_connection() -> Any:
    """The database connection the audit writes to (the default, where the transaction
    is), itself rather than through `django.db.connection`, a proxy that looks the
    connection up again on every attribute (the model fields read it for every value)."""
    return connections[DEFAULT_DB_ALIAS]


def _head_sql(connection: Any) -> tuple[str, str]:
    table = connection.ops.quote_name(_HEAD_TABLE)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT length, last_hash FROM {table} WHERE chain = %s{lock}",  # noqa: S608
        f"UPDATE {table} SET length = %s, last_hash = %s WHERE chain = %s",  # noqa: S608
    )


def _head(chain: str) -> tuple[int, str]:
    """The chain's head (length, last hash), locked until the transaction ends (so the chain
    never forks)."""
    connection = _default_connection()

    select, _update = _head_sql(connection)
    with connection.cursor() as cursor:
        cursor.execute(select, [chain])
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(chain=chain, length=0, last_hash=hash_chain.GENESIS)
    except IntegrityError:  # another writer created it first
        pass
    with connection.cursor() as cursor:
        cursor.execute(select, [chain])
        length, last_hash = cursor.fetchone()
    return int(length), str(last_hash)


# Each chained field in the canonical order (sorted names): its model field, its default and
# its name as the canonical JSON writes it. Every record `_link` sees has its timestamp (the
# one default that is not a constant).
_CANONICAL_SPEC = [
    (
        name,
        _CHAINED[name],
        None if name == "timestamp" else _CHAINED[name].get_default(),
        hash_chain.json_text(name) + ":",
    )
    for name in sorted(hash_chain.CHAINED_FIELDS)
]
assert all(_CHAINED[name].attname == name for name in hash_chain.CHAINED_FIELDS)
assert not any(
    f.has_default() and callable(f.default) for n, f, _d, _k in _CANONICAL_SPEC if n != "timestamp"
)


def _value_text(name: str, field: Any, value: Any) -> str:
    """A field's value in `hash_chain.canonical`'s JSON, normalised as `_normalised` does."""
    if name == "changes":
        value = _clean_changes(value)
    elif name != "timestamp" and value is not None:
        value = field.to_python(value)
    return hash_chain.json_text(hash_chain.plain(value))


def _canonical_many(records: list[dict[str, Any]]) -> list[bytes]:
    """`hash_chain.canonical(_normalised(record))` of each record, field by field: each
    distinct value of a field is normalised and written once (the rows of a list share all
    but their object and client). The same bytes, `"name":value` in name order as
    `canonical` writes its object (a test compares them over records of every kind)."""
    columns: list[list[str]] = []
    for name, field, default, key_text in _CANONICAL_SPEC:
        values = [r[name] if name in r else default for r in records]  # noqa: SIM401 (no call a cell)
        keys = [(v.__class__, v) for v in values]  # 1 and True are different JSON
        try:
            distinct = dict.fromkeys(keys)
        except TypeError:  # not hashable (changes): each on its own
            columns.append([key_text + _value_text(name, field, v) for v in values])
            continue
        texts = {k: key_text + _value_text(name, field, k[1]) for k in distinct}
        columns.append([texts[k] for k in keys])
    return [("{" + ",".join(parts) + "}").encode() for parts in zip(*columns, strict=True)]


def _link(records: list[dict[str, Any]]) -> None:
    """Give every record (in order) its chain, position, previous hash and hash (R-SEC-2).
    Must run inside the transaction that inserts the records."""
    connection = _default_connection()

    by_chain: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        key = hash_chain.chain_key(record.get("organisation_id"), record["timestamp"])
        by_chain.setdefault(key, []).append(record)
    for key in sorted(by_chain):  # a fixed lock order: no deadlock between two writers
        length, prev = _head(key)
        chained = by_chain[key]
        for record, content in zip(chained, _canonical_many(chained), strict=True):
            length += 1
            digest = hash_chain.row_hash_of(prev, content)
            record.update(chain=key, chain_position=length, prev_hash=prev, row_hash=digest)
            prev = digest
        with connection.cursor() as cursor:
            cursor.execute(_head_sql(connection)[1], [length, prev, key])


def audit_read(
    request: HttpRequest,
    obj: Any,
    client_id: int | None,
    purpose: str = "",
    *,
    object_type: str = "",
) -> AuditRecord:
    """One `read` record for showing `obj` (a dossier, a trajectory...) to `request.user`.

    `client_id` is the client the data is about (None when it concerns no client);
    `object_type` defaults to the model's name by the one rule (`core.audit_names`:
    `client`, `access_request`...)."""
    return audit_log(
        action=AuditAction.READ,
        request=request,
        object_type=object_type or object_type_for(obj),
        object_id=getattr(obj, "pk", obj),
        client_id=client_id,
        purpose=purpose,
    )


def audit_log_many(records: list[dict[str, Any]]) -> None:
    """Bulk variant for list results and exports (one row per client shown).

    A page of 100 rows is audited on every list call, so this is on the hot path of every
    list (issue 6). `bulk_create` would build 100 model instances and prepare every field of
    every row; the rows of one call mostly share their values (user, roles, action, purpose,
    IP address), so each distinct value is prepared once by its model field (the same
    adaptation Django uses) and the rows go out as multi-row INSERTs. Same rows as
    `bulk_create` (a test compares them), without signals, as `bulk_create`."""
    real = current_real_actor()
    if real is not None:
        records = [
            {"real_actor_id": real.user_id, "real_actor_username": real.username, **r}
            for r in records
        ]
    if not records:
        return
    now = timezone.now()
    records = [{**r, "timestamp": r.get("timestamp", now)} for r in records]
    if _default_connection().vendor == "postgresql":
        _append_linked(records)
        return
    with transaction.atomic(savepoint=False):
        _link(records)
        _insert_rows(records)


_AUDIT_FIELDS = [f for f in AuditRecord._meta.concrete_fields if not f.primary_key]
_AUDIT_NAMES = frozenset(f.attname for f in _AUDIT_FIELDS) | {f.name for f in _AUDIT_FIELDS}
assert all(f.attname == f.name for f in _AUDIT_FIELDS)  # no foreign keys: one name a column
# Per database vendor: the quoted column list and each column's type (for `unnest`).
_COLUMNS_SQL: dict[str, tuple[str, list[str]]] = {}


def _columns_sql(connection: Any) -> tuple[str, list[str]]:
    if connection.vendor not in _COLUMNS_SQL:
        _COLUMNS_SQL[connection.vendor] = (
            ", ".join(connection.ops.quote_name(str(f.column)) for f in _AUDIT_FIELDS),
            [str(f.db_type(connection)) for f in _AUDIT_FIELDS],
        )
    return _COLUMNS_SQL[connection.vendor]


def _prepared_columns(records: list[dict[str, Any]], connection: Any) -> list[list[Any]]:
    """Each column's values of `records` (dicts of field names), prepared by the model
    field as Django would. Column by column: each distinct value of a column is prepared
    once (the rows of one call share all but their object and client)."""
    now = timezone.now()
    if unknown := set().union(*records) - _AUDIT_NAMES:
        raise TypeError(f"Onbekende auditvelden: {sorted(unknown)}")
    columns: list[list[Any]] = []
    for field in _AUDIT_FIELDS:
        name = field.attname
        default: Any = now if name == "timestamp" else field.get_default()
        raw = [r[name] if name in r else default for r in records]  # noqa: SIM401 (as above)
        if name == "changes":
            raw = [None if v is None else _clean_changes(v) for v in raw]
        try:
            distinct = dict.fromkeys(raw)
        except TypeError:  # not hashable (changes): each prepared on its own
            columns.append([field.get_db_prep_save(v, connection) for v in raw])
            continue
        prepared = {v: field.get_db_prep_save(v, connection) for v in distinct}
        columns.append([prepared[v] for v in raw])
    return columns


def _insert_rows(records: list[dict[str, Any]]) -> None:
    """INSERT `records` (dicts of field names, linked by `_link`) with the model fields' own
    preparation of each value (`_prepared_columns`)."""
    connection = _default_connection()
    columns = _prepared_columns(records, connection)
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    names, db_types = _columns_sql(connection)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _insert_unnest(cursor, table, names, db_types, columns)
            return
        rows = list(zip(*columns, strict=True))
        batch = max(1, min(1000, connection.ops.bulk_batch_size(_AUDIT_FIELDS, rows)))
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            sql = _values_sql(table, names, len(_AUDIT_FIELDS), len(chunk))
            cursor.execute(sql, [value for row in chunk for value in row])


def _values_sql(table: str, columns: str, width: int, count: int) -> str:
    """`INSERT … VALUES (%s, …), …` for `count` rows of `width` parameters (names quoted by
    the caller, values always passed as parameters)."""
    row = "(" + ", ".join(["%s"] * width) + ")"
    return f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row] * count)  # noqa: S608


def _insert_unnest(
    cursor: Any, table: str, columns: str, db_types: list[str], values_by_column: list[list[Any]]
) -> None:
    """PostgreSQL: one INSERT … SELECT with one parameter per column: a value shared by all
    rows as a scalar, the others as an array expanded by `unnest` (a page of 100 rows is 15
    parameters instead of 1,500, which the driver would otherwise have to parse)."""
    selects: list[str] = []
    arrays: list[str] = []
    params: list[Any] = []
    array_params: list[Any] = []
    count = len(values_by_column[0])
    for index, values in enumerate(values_by_column):
        db_type = db_types[index]
        first = values[0]
        if values.count(first) == count:  # each `is` or `==` the first, as `list.count` compares
            selects.append(f"%s::{db_type}")
            params.append(first)
        else:
            alias = f"v{index}"
            arrays.append(f"%s::{db_type}[]")
            array_params.append(values)
            selects.append(alias)
    if arrays:
        aliases = ", ".join(s for s in selects if not s.startswith("%s"))
        source = f" FROM unnest({', '.join(arrays)}) AS u({aliases})"
        # The scalar parameters come first in the SELECT list, the arrays in FROM.
        sql = f"INSERT INTO {table} ({columns}) SELECT {', '.join(selects)}{source}"
        cursor.execute(sql, [*params, *array_params])
    else:  # every row the same (a single row, say): plain VALUES
        cursor.execute(_values_sql(table, columns, len(params), count), params * count)


#: The chain columns, filled by `_link` or (PostgreSQL) by the result columns of
#: `opstap_audit_link` (migration 0007). Chain keys and contents go as one text each, a line a
#: row: canonical JSON never holds a line break (`json.dumps` escapes control characters), and
#: psycopg quoting 25 JSON texts as an array took ≈6,000 Python calls.
_LINK_COLUMNS = ("chain", "chain_position", "prev_hash", "row_hash")
_LINK_OUT = dict(zip(_LINK_COLUMNS, ("o_chain", "o_position", "o_prev", "o_hash"), strict=True))
_APPEND_SQL = (
    "WITH l AS MATERIALIZED (SELECT * FROM opstap_audit_link("
    "string_to_array(%s::text, E'\\n'), string_to_array(%s::text, E'\\n'))) "
    "INSERT INTO {table} ({columns}) SELECT {selects} FROM l{source} ORDER BY l.o_n"
)


def _append_linked(
    records: list[dict[str, Any]], *, returning: bool = False
) -> list[tuple[Any, ...]]:
    """PostgreSQL: link and insert `records` (with their timestamp) in ONE statement (issue
    18: BEGIN, head FOR UPDATE, its UPDATE and COMMIT were four more round trips). Python
    computes chain keys and canonical JSON as `_link`, the fields as `_insert_rows`;
    `opstap_audit_link` locks and advances each head (in key order) and gives each row its
    position and hashes (`chain.row_hash_of`). In autocommit the statement is atomic by
    itself; in a transaction it joins it. `returning`: (id, *chain columns) of each row."""
    connection = _default_connection()
    chains = [hash_chain.chain_key(r.get("organisation_id"), r["timestamp"]) for r in records]
    contents = [content.decode() for content in _canonical_many(records)]
    if any("\n" in text for text in contents):  # never: one line each (`_APPEND_SQL`)
        raise ValueError("Een auditregel in canonieke JSON bevat een regeleinde.")
    columns = _prepared_columns(records, connection)
    names, db_types = _columns_sql(connection)
    selects: list[str] = []
    arrays: list[str] = []
    aliases: list[str] = []
    params: list[Any] = ["\n".join(chains), "\n".join(contents)]
    array_params: list[Any] = []
    for index, (field, values) in enumerate(zip(_AUDIT_FIELDS, columns, strict=True)):
        if field.attname in _LINK_OUT:
            selects.append(f"l.{_LINK_OUT[field.attname]}")
            continue
        db_type = db_types[index]
        first = values[0]
        if values.count(first) == len(values):  # as `_insert_unnest`: shared, one scalar
            selects.append(f"%s::{db_type}")
            params.append(first)
        else:
            aliases.append(f"v{index}")
            arrays.append(f"%s::{db_type}[]")
            array_params.append(values)
            selects.append(f"u.v{index}")
    source = ""
    if arrays:
        source = (
            f" JOIN unnest({', '.join(arrays)}) WITH ORDINALITY AS u({', '.join(aliases)}, n)"
            " ON u.n = l.o_n"
        )
    sql = _APPEND_SQL.format(
        table=connection.ops.quote_name(AuditRecord._meta.db_table),
        columns=names,
        selects=", ".join(selects),
        source=source,
    )
    if returning:
        sql += " RETURNING id, chain, chain_position, prev_hash, row_hash"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *array_params])
        return [tuple(row) for row in cursor.fetchall()] if returning else []


def audit_records_for_request(
    request: HttpRequest,
    *,
    action: AuditAction | str,
    object_type: str,
    items: list[tuple[object, int | None]],
    purpose: str = "",
) -> None:
    """Bulk `audit_log_many` rows for the user of `request`: one per (object_id, client_id)."""
    audit_groups_for_request(
        request, [AuditGroup(action=action, object_type=object_type, items=items, purpose=purpose)]
    )


class ClientRow(Protocol):
    """A shown object that knows its client (none for one about a person without a
    dossier)."""

    @property
    def pk(self) -> Any: ...

    @property
    def client_id(self) -> int | None: ...


def audit_listed(
    request: HttpRequest, rows: Iterable[ClientRow], *, object_type: str, purpose: str
) -> None:
    """One `list` record per object a page or API answer shows, with its client."""
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type=object_type,
        items=[(row.pk, row.client_id) for row in rows],
        purpose=purpose,
    )


@dataclass(frozen=True)
class AuditGroup:
    """Rows of one kind for `audit_groups_for_request`: one per (object_id, client_id) of
    `items`, each with `changes` when given."""

    action: AuditAction | str
    object_type: str
    items: list[tuple[object, int | None]]
    purpose: str = ""
    changes: Mapping[str, Any] | None = None


def audit_groups_for_request(request: HttpRequest, groups: list[AuditGroup]) -> None:
    """The rows of several `audit_records_for_request` calls for the user of `request` (a
    page's read and the lists its parts show), in order, as one `audit_log_many`: one link
    of the chain (its head locked, advanced once) and one INSERT, instead of those for every
    group (issue 18: the start page)."""
    user = request.user
    authenticated = getattr(user, "is_authenticated", False)
    base: dict[str, Any] = {
        "organisation_id": getattr(user, "organisation_id", None),
        "actor_id": user.pk if authenticated else None,
        "actor_username": user.get_username() if authenticated else "",
        "actor_roles": ",".join(sorted(getattr(user, "role_codes", ())))[:255],
        "ip_address": _client_ip(request),
    }
    real_user = getattr(request, "real_user", None)
    if real_user is not None and current_real_actor() is None:
        base["real_actor_id"] = real_user.pk
        base["real_actor_username"] = real_user.get_username()
    records: list[dict[str, Any]] = []
    for group in groups:
        common = {
            **base,
            "action": str(group.action),
            "object_type": group.object_type,
            "purpose": group.purpose[:200],
        }
        if group.changes is not None:
            common["changes"] = group.changes
        records.extend(
            {**common, "object_id": str(object_id), "client_id": client_id}
            for object_id, client_id in group.items
        )
    audit_log_many(records)


# --- Denied reads (issue 19) ------------------------------------------------------------------

DENIED_READ_PURPOSE = "Geweigerde inzage"


def denied_read_limit() -> int:
    """At most this many individual `denied` records per user per minute
    (`OPSTAP_DENIED_READ_LIMIT_PER_MINUTE`, default 20)."""
    from django.conf import settings

    return max(1, int(getattr(settings, "OPSTAP_DENIED_READ_LIMIT_PER_MINUTE", 20)))


def _request_path(request: Any) -> str:
    if request is None:
        return ""
    try:
        return f"{request.method} {request.path}"[:150]
    except AttributeError:
        return ""


def audit_denied_read(
    *,
    user: Actor,
    request: Any,
    object_type: str,
    object_id: object = "",
    client_id: int | None = None,
    now: Any = None,
) -> AuditRecord | None:
    """Record a denied read (an object outside the user's scope, a page or API operation
    without the permission): user, object type, id and path (R-SEC-2).

    Rate limit per user (a probe or a script must not flood the trail): the first
    `denied_read_limit()` denials of a minute are recorded one by one; the rest of that
    minute are counted, and the count is written as one aggregated record (`changes.count`,
    purpose "… (N keer)") with the next denial after that minute, or when the count reaches
    the limit again. The counter lives in the cache (Redis in production: shared by every
    worker; per process with the local-memory cache)."""
    from django.core.cache import cache
    from django.utils import timezone

    now = now or timezone.now()
    minute = now.strftime("%Y%m%d%H%M")
    key = f"opstap:denied:{user.pk}:{minute}"
    pending_key = f"opstap:denied-pending:{user.pk}"
    limit = denied_read_limit()
    path = _request_path(request)
    written: AuditRecord | None = None
    pending = cache.get(pending_key)
    if pending and pending.get("minute") != minute and pending.get("count"):
        written = _denied_record(
            user,
            request,
            pending["object_type"],
            pending["object_id"],
            pending["path"],
            pending["count"],
            pending["minute"],
            pending.get("client_id"),
        )
        cache.delete(pending_key)
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= limit:
        return _denied_record(user, request, object_type, object_id, path, 1, minute, client_id)
    suppressed = {
        "minute": minute,
        "object_type": object_type,
        "object_id": str(object_id),
        "path": path,
        "client_id": client_id,
        "count": (pending or {}).get("count", 0) + 1
        if pending and pending.get("minute") == minute
        else 1,
    }
    if suppressed["count"] >= limit:
        cache.delete(pending_key)
        return _denied_record(
            user, request, object_type, object_id, path, suppressed["count"], minute, client_id
        )
    cache.set(pending_key, suppressed, timeout=24 * 3600)
    return written


def _denied_record(
    user: Actor,
    request: Any,
    object_type: str,
    object_id: object,
    path: str,
    count: int,
    minute: str,
    client_id: int | None = None,
) -> AuditRecord:
    purpose = f"{DENIED_READ_PURPOSE}: {path}" if path else DENIED_READ_PURPOSE
    if count > 1:
        purpose += f" ({count} keer in minuut {minute[8:10]}:{minute[10:12]})"
    return audit_log(
        action=AuditAction.DENIED,
        actor=user,
        request=request if isinstance(request, HttpRequest) else getattr(request, "_request", None),
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        client_id=client_id,
        purpose=purpose,
        result="geweigerd",
        changes={"path": path, "count": count},
    )


# --- The audit trail's own retention term (R-SEC-4) -------------------------------------------

#: The append-only trigger of migration 0003 (PostgreSQL).
_APPEND_ONLY_TRIGGER = "audit_auditrecord_append_only"


def audit_purge_before(*, organisation_id: int, before: dt.date) -> int:
    """Delete the organisation's audit records of whole UTC days before `before` with their
    chain heads, so every remaining day's chain still verifies, and append one record that
    says how many were removed (no content). Returns the number of records removed.

    Only the owner of the audit table can do this: on PostgreSQL the append-only trigger is
    switched off for this one statement inside the transaction (the application's role may
    not, so there it fails and nothing changes). Run it as the database owner through
    `manage.py retention_purge_audit` (docs/retention.md)."""
    from django.db import connection

    start = dt.datetime.combine(before, dt.time(0, 0), tzinfo=dt.UTC)
    prefix = f"{organisation_id}:"
    with transaction.atomic():
        heads = [
            key
            for key in AuditChainHead.objects.filter(chain__startswith=prefix).values_list(
                "chain", flat=True
            )
            if key.removeprefix(prefix) < before.isoformat()
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"ALTER TABLE audit_auditrecord DISABLE TRIGGER {_APPEND_ONLY_TRIGGER}"
                )
            cursor.execute(
                "DELETE FROM audit_auditrecord WHERE organisation_id = %s AND timestamp < %s",
                [organisation_id, connection.ops.adapt_datetimefield_value(start)],
            )
            removed: int = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"ALTER TABLE audit_auditrecord ENABLE TRIGGER {_APPEND_ONLY_TRIGGER}"
                )
        AuditChainHead.objects.filter(chain__in=heads).delete()
        audit_log(
            action=AuditAction.DELETE,
            organisation_id=organisation_id,
            object_type="audit_trail",
            object_id=before.isoformat(),
            purpose="Audittrail na de bewaartermijn verwijderd (hele dagen)",
            changes={"records": removed, "days": len(heads)},
        )
    return max(removed, 0)
