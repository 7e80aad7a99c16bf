"""A model's API offerings as the catalog shows them: which providers serve it now, the price
at its first party (a provider run by the model's own organization) and the cheapest price,
and the rows of the `offerings` and `providers` tables.

An offering marked `withdrawn` is history: it is listed (on the model's page and in the
`offerings` table, with its date) but never counted as available or as the cheapest. One with
a `status` (deprecated, beta, alpha) still counts, and says so wherever it is named.

"Cheapest" compares offerings by their price blended three input tokens to one output token
(the usual mix of a chat request); an offering without both prices is not ranked, and one
with no per-token charge (both prices zero: a free tier or a subscription plan) is named as
such rather than ranked as the cheapest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.catalog.exports import Column, Table

# How many input tokens a blended price weighs against one output token.
BLEND_INPUT, BLEND_OUTPUT = 3, 1
PRICE_UNIT = "USD per 1M input / output tokens"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _date(value: Any) -> str | None:
    """An ISO date as written (the loader keeps dates as text), or None when it is not one."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def usd(value: float) -> str:
    """Two decimals (2.50, 10.00), more for fractions of a cent (0.015, 0.0275)."""
    if round(value, 2) == value:
        return f"{value:,.2f}"
    return f"{value:,.6f}".rstrip("0")


@dataclass(frozen=True)
class Tier:
    above: int
    input: float | None
    output: float | None


@dataclass(frozen=True)
class Offering:
    """One offering of a model, with what the catalog needs about its provider."""

    model: str
    provider: str
    provider_name: str
    provider_url: str | None
    provider_model: str
    input: float | None
    output: float | None
    cache_read: float | None
    cache_write: float | None
    tiers: tuple[Tier, ...]
    context: int | None
    max_output: int | None
    status: str | None
    withdrawn: str | None
    as_of: str | None
    source: str | None
    first_party: bool

    @property
    def current(self) -> bool:
        return self.withdrawn is None

    @property
    def blended(self) -> float | None:
        if self.input is None or self.output is None:
            return None
        return (BLEND_INPUT * self.input + BLEND_OUTPUT * self.output) / (
            BLEND_INPUT + BLEND_OUTPUT
        )

    def pair(self) -> str:
        """`2.50 / 10.00`: input and output price (`–` for a price not given)."""
        shown = ["–" if p is None else usd(p) for p in (self.input, self.output)]
        return " / ".join(shown)


def _tiers(value: Any) -> tuple[Tier, ...]:
    tiers = []
    for item in value if isinstance(value, list) else []:
        above = _count(item.get("above")) if isinstance(item, dict) else None
        if above is not None:
            tiers.append(Tier(above, _number(item.get("input")), _number(item.get("output"))))
    return tuple(sorted(tiers, key=lambda t: t.above))


def offerings_of(
    model_id: str, data: Mapping[str, Any], providers: Mapping[str, Mapping[str, Any]]
) -> list[Offering]:
    """The model's offerings as its entry lists them (items that are not offerings skipped:
    validate reports them). A provider without an entry is named by its id."""
    found = []
    items = data.get("offerings")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        provider_id = _text(item.get("provider"))
        provider_model = _text(item.get("model"))
        if provider_id is None or provider_model is None:
            continue
        provider = providers.get(provider_id) or {}
        price = _mapping(item.get("price"))
        limit = _mapping(item.get("limit"))
        organization = _text(provider.get("organization"))
        found.append(
            Offering(
                model=model_id,
                provider=provider_id,
                provider_name=_text(provider.get("name")) or provider_id,
                provider_url=_text(provider.get("url")),
                provider_model=provider_model,
                input=_number(price.get("input")),
                output=_number(price.get("output")),
                cache_read=_number(price.get("cache_read")),
                cache_write=_number(price.get("cache_write")),
                tiers=_tiers(item.get("price_tiers")),
                context=_count(limit.get("context")),
                max_output=_count(limit.get("output")),
                status=_text(item.get("status")),
                withdrawn=_date(item.get("withdrawn")) or _text(item.get("withdrawn")),
                as_of=_date(item.get("as_of")),
                source=_text(item.get("source")),
                first_party=organization is not None and organization == data.get("organization"),
            )
        )
    return found


def _rank(offering: Offering) -> tuple[Any, ...]:
    return (offering.blended, offering.provider_name.lower(), offering.provider_model)


def cheapest(offerings: list[Offering]) -> Offering | None:
    """The current paid offering with the lowest blended price (ties: by provider name). One
    with no per-token charge (a free tier, a subscription plan) is no price to rank: see
    `no_charge`."""
    paid = [o for o in offerings if o.current and o.blended is not None and o.blended > 0]
    return min(paid, key=_rank) if paid else None


def no_charge(offerings: list[Offering]) -> list[str]:
    """The providers offering it now with no per-token charge (a free tier, or a subscription
    plan), by name, the first party first: `Cohere (first party)`, `GitHub Models (beta)`."""
    at_no_charge = sorted(
        (o for o in offerings if o.current and o.blended == 0),
        key=lambda o: (not o.first_party, o.provider_name.lower()),
    )
    names = [_named(o, *(["first party"] if o.first_party else [])) for o in at_no_charge]
    return list(dict.fromkeys(names))  # a provider with two such offerings named once


def page_order(offerings: list[Offering]) -> list[Offering]:
    """How a model page lists them: current ones first, the first party's first, then from the
    cheapest (unpriced after priced); withdrawn ones last."""

    def key(o: Offering) -> tuple[Any, ...]:
        blended = o.blended
        return (
            not o.current,
            not o.first_party,
            blended is None,
            blended or 0.0,
            o.provider_name.lower(),
            o.provider_model,
        )

    return sorted(offerings, key=key)


def _marks(offering: Offering, *more: str) -> str:
    """`Azure, deprecated`: the provider's name, then what else the reader must know."""
    status = [offering.status] if offering.status else []
    return ", ".join([offering.provider_name, *more, *status])


def _named(offering: Offering, *more: str) -> str:
    """`Azure (first party, deprecated)`: the provider's name, then what else to know."""
    marks = [*more, *([offering.status] if offering.status else [])]
    return offering.provider_name + (f" ({', '.join(marks)})" if marks else "")


def cost_cell(offerings: list[Offering]) -> str | None:
    """`2.50 / 10.00 USD per 1M input / output tokens (OpenAI, first party); cheapest
    2.00 / 8.00 (Azure)`; without a first-party price, the cheapest alone; then the providers
    that charge nothing per token, if any (`no per-token charge at GitHub Models`). None when
    no current offering has both prices."""
    best = cheapest(offerings)
    first = cheapest([o for o in offerings if o.first_party])
    parts = []
    if first is not None and best is not None:
        parts.append(f"{first.pair()} {PRICE_UNIT} ({_marks(first, 'first party')})")
        if best.blended is not None and first.blended is not None and best.blended < first.blended:
            parts.append(f"cheapest {best.pair()} ({_marks(best)})")
        else:
            parts.append("the cheapest")
    elif best is not None:
        parts.append(f"cheapest {best.pair()} {PRICE_UNIT} ({_marks(best)})")
    at_no_charge = no_charge(offerings)
    if at_no_charge:
        parts.append(f"no per-token charge at {', '.join(at_no_charge)}")
    return "; ".join(parts) or None


def availability_cell(offerings: list[Offering]) -> str | None:
    """The providers serving it now, by name (the first party first), each marked with the
    status of its offerings when none is generally available: `OpenAI (first party); Azure
    (deprecated)`. A model whose offerings are all withdrawn says so, with the dates."""
    current = [o for o in offerings if o.current]
    if not current:
        gone = sorted({(o.provider_name, o.withdrawn or "") for o in offerings})
        listed = "; ".join(f"{name} (withdrawn {when})" for name, when in gone)
        return f"No longer offered: {listed}" if gone else None
    by_provider: dict[str, list[Offering]] = {}
    for offering in current:
        by_provider.setdefault(offering.provider, []).append(offering)
    names = []
    for group in sorted(
        by_provider.values(), key=lambda g: (not g[0].first_party, g[0].provider_name.lower())
    ):
        marks = ["first party"] if group[0].first_party else []
        statuses = {o.status for o in group}
        if None not in statuses:  # none of its offerings is generally available
            marks += sorted(s for s in statuses if s)
        names.append(group[0].provider_name + (f" ({', '.join(marks)})" if marks else ""))
    return "; ".join(names)


OFFERING_COLUMNS = (
    Column("id", "string", "`<model>@<provider>/<provider_model>`: one per offering."),
    Column("model", "string", "The registry's model id."),
    Column("provider", "string", "The provider's id (entries/providers/<id>.yaml)."),
    Column("provider_name", "string", "The provider's name."),
    Column("provider_model", "string", "The model's id in the provider's API."),
    Column("input_price", "number", "USD per million input tokens."),
    Column("output_price", "number", "USD per million output tokens."),
    Column("cache_read_price", "number", "USD per million input tokens read from the cache."),
    Column("cache_write_price", "number", "USD per million input tokens written to the cache."),
    Column("context", "integer", "The context window, in tokens."),
    Column("max_output", "integer", "The most output tokens of a request."),
    Column("status", "string", "alpha, beta or deprecated; null when generally available."),
    Column("withdrawn", "date", "The first models.dev snapshot without it; null while offered."),
    Column("as_of", "date", "The date of the models.dev snapshot the values were read from."),
    Column("first_party", "boolean", "The provider is run by the model's own organization."),
    Column("source", "string", "The models.dev file stating this offering."),
)
PROVIDER_COLUMNS = (
    Column("id", "string", "The provider's id (its models.dev id)."),
    Column("name", "string", "The provider's name."),
    Column("organization", "string", "The id of the organization running it, when known."),
    Column("url", "string", "Its page listing the models it serves."),
    Column("api", "string", "The base URL of its API, when it has one for all its models."),
    Column("models", "integer", "How many registry models it offers now (not withdrawn)."),
    Column("offerings", "integer", "How many offerings it has now (not withdrawn)."),
)


def offering_row(offering: Offering) -> dict[str, Any]:
    return {
        "id": f"{offering.model}@{offering.provider}/{offering.provider_model}",
        "model": offering.model,
        "provider": offering.provider,
        "provider_name": offering.provider_name,
        "provider_model": offering.provider_model,
        "input_price": offering.input,
        "output_price": offering.output,
        "cache_read_price": offering.cache_read,
        "cache_write_price": offering.cache_write,
        "context": offering.context,
        "max_output": offering.max_output,
        "status": offering.status,
        "withdrawn": offering.withdrawn,
        "as_of": offering.as_of,
        "first_party": offering.first_party,
        "source": offering.source,
    }


def offering_tables(
    models: Mapping[str, Mapping[str, Any]], providers: Mapping[str, Mapping[str, Any]]
) -> dict[str, Table]:
    """The `offerings` table (one row per model and provider offering, withdrawn ones
    included) and the `providers` table (one row per provider entry), both by id."""
    offerings = [
        o
        for model_id in sorted(models)
        for o in offerings_of(model_id, models[model_id], providers)
    ]
    rows = [offering_row(o) for o in offerings]
    current: dict[str, list[Offering]] = {}
    for offering in offerings:
        if offering.current:
            current.setdefault(offering.provider, []).append(offering)
    provider_rows = []
    for provider_id in sorted(providers):
        data = providers[provider_id]
        serving = current.get(provider_id, [])
        provider_rows.append(
            {
                "id": provider_id,
                "name": _text(data.get("name")),
                "organization": _text(data.get("organization")),
                "url": _text(data.get("url")),
                "api": _text(data.get("api")),
                "models": len({o.model for o in serving}),
                "offerings": len(serving),
            }
        )
    return {
        "offerings": Table(
            "Offerings",
            "Where each model is served through an API, at what price (USD per million "
            "tokens), from models.dev: one row per model and provider offering.",
            OFFERING_COLUMNS,
            rows,
        ),
        "providers": Table(
            "Providers",
            "The services that serve models through an API, one row per provider entry.",
            PROVIDER_COLUMNS,
            provider_rows,
        ),
    }
