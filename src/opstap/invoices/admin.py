"""Back-office for application administrators: invoices and batches are read-only here;
every change goes through the services (workflow, audit, events)."""

from __future__ import annotations

from django.contrib import admin

from opstap.core.admin import ReadOnlyAdmin

from .models import CreditNote, Invoice, PaymentBatch, PlacementFeeClaim, TravelClaim, VatRateRow


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["invoice_number", "provider", "milestone", "amount_incl", "status", "verdict"]
    list_filter = ["status", "verdict", "milestone"]
    search_fields = ["invoice_number"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "amount_incl", "credit_date"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "invoice_count", "total_incl", "exported_at"]


@admin.register(PlacementFeeClaim)
class PlacementFeeClaimAdmin(ReadOnlyAdmin):
    list_display = ["trajectory", "employer", "placement_start", "hours_per_week"]


@admin.register(TravelClaim)
class TravelClaimAdmin(ReadOnlyAdmin):
    list_display = ["client", "trajectory", "organisation_pays", "provider_pays", "refused"]


@admin.register(VatRateRow)
class VatRateAdmin(admin.ModelAdmin):
    """VAT reference data (R-BILL-11): add a row with a new date when a rate changes."""

    list_display = ["code", "valid_from", "percentage"]
    list_filter = ["code"]
