"""The VietQR code of an order (amount and order code as transfer note)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .banks import bank_by_bin
from .models import Order, PaymentMethod
from .qr import qr_png_captioned, qr_svg
from .vietqr import VietQRError, build_payload


@dataclass
class OrderPayment:
    order: Order
    payload: str
    bank_name: str

    @cached_property
    def svg(self) -> str:
        return qr_svg(self.payload, scale=4)


def awaits_payment(order: Order) -> bool:
    """An open VietQR order not paid yet, of a store with a bank account."""
    return (
        order.payment_method == PaymentMethod.VIETQR
        and order.paid_at is None
        and order.is_open
        and order.store.has_bank_account
    )


def order_payment(order: Order) -> OrderPayment | None:
    """The QR to show for an unpaid VietQR order, or ``None``."""
    if not awaits_payment(order):
        return None
    store = order.store
    try:
        payload = build_payload(
            bin=store.bank_bin, account=store.bank_account, amount=int(order.total), note=order.code
        )
    except VietQRError:
        return None
    bank = bank_by_bin(store.bank_bin)
    return OrderPayment(
        order=order, payload=payload, bank_name=bank.short_name if bank else store.bank_bin
    )


def order_qr_png(payment: OrderPayment) -> bytes:
    """A PNG to save on the phone: the code with the amount, the transfer note and the
    account printed under it (a buyer who ordered on this phone opens it in the banking
    app's "scan from photo")."""
    from django.utils.translation import gettext as _

    from .templatetags.market_tags import vnd

    order = payment.order
    store = order.store
    return qr_png_captioned(
        payment.payload,
        [
            _("Amount: %(amount)s") % {"amount": vnd(order.total)},
            _("Transfer note: %(note)s") % {"note": order.code},
            f"{payment.bank_name} {store.bank_account}",
            store.bank_account_name or store.name,
        ],
    )
