"""The VietQR code of an order (amount and order code as transfer note)."""

from __future__ import annotations

from dataclasses import dataclass

from .banks import bank_by_bin
from .models import Order, PaymentMethod
from .qr import qr_svg
from .vietqr import VietQRError, build_payload


@dataclass
class OrderPayment:
    order: Order
    payload: str
    svg: str
    bank_name: str


def order_payment(order: Order) -> OrderPayment | None:
    """The QR to show for an unpaid VietQR order, or ``None``."""
    store = order.store
    if (
        order.payment_method != PaymentMethod.VIETQR
        or order.paid_at is not None
        or not order.is_open
        or not store.has_bank_account
    ):
        return None
    try:
        payload = build_payload(
            bin=store.bank_bin, account=store.bank_account, amount=int(order.total), note=order.code
        )
    except VietQRError:
        return None
    bank = bank_by_bin(store.bank_bin)
    return OrderPayment(
        order=order,
        payload=payload,
        svg=qr_svg(payload, scale=4),
        bank_name=bank.short_name if bank else store.bank_bin,
    )
