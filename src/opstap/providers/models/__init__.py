"""Providers (aanbieders, LEON network): providers and staff, evidence, contracts, products,
prices, the rate ceiling, indexations, signals, evaluations and change proposals (spec
section 3, R-NET-1..9), plus the reference data (tiles, product codes, promoted modules).

One module per aggregate; other apps import from this package (`opstap.providers.models`).
"""

from __future__ import annotations

from .bank_accounts import BankAccountStatus, ProviderBankAccount
from .contracts import Contract, ContractExtension, ContractStatus
from .evaluations import Evaluation, EvaluationOutcome, EvaluationStatus, Signal
from .evidence import CertificateKind, Evidence, EvidenceKind
from .network import NetworkSettings
from .prices import CpiIndexation, PriceSource, ProductPrice
from .products import (
    Product,
    ProductChangeProposal,
    ProductLadderStep,
    ProductLocation,
    ProductStatus,
    ProductTargetGroup,
    ProposalStatus,
    ServiceKind,
)
from .providers import (
    Provider,
    ProviderEvent,
    ProviderMembership,
    ProviderStatus,
    provider_reference,
)
from .reference import (
    OrderingMode,
    PriceType,
    ProductCode,
    PromotedModule,
    RateCeiling,
    Tile,
    TileKind,
    Validity,
)

__all__ = [
    "BankAccountStatus",
    "CertificateKind",
    "Contract",
    "ContractExtension",
    "ContractStatus",
    "CpiIndexation",
    "Evaluation",
    "EvaluationOutcome",
    "EvaluationStatus",
    "Evidence",
    "EvidenceKind",
    "NetworkSettings",
    "OrderingMode",
    "PriceSource",
    "PriceType",
    "Product",
    "ProductChangeProposal",
    "ProductCode",
    "ProductLadderStep",
    "ProductLocation",
    "ProductPrice",
    "ProductStatus",
    "ProductTargetGroup",
    "PromotedModule",
    "ProposalStatus",
    "Provider",
    "ProviderBankAccount",
    "ProviderEvent",
    "ProviderMembership",
    "ProviderStatus",
    "RateCeiling",
    "ServiceKind",
    "Signal",
    "Tile",
    "TileKind",
    "Validity",
    "provider_reference",
]
