"""Tables of the trace app: master data (plots, facilities, products), lots and EPCIS
events with their hash-chained ledger, and anti-counterfeit stamps."""

from .events import DailyRoot, Event, EventKind, EventLot, LedgerRow, Lot, LotEdge, LotKind, LotPlot
from .master import Facility, Plot, TradeItem
from .stamps import Stamp, StampBatch, StampReport, StampScan

__all__ = [
    "DailyRoot",
    "Event",
    "EventKind",
    "EventLot",
    "Facility",
    "LedgerRow",
    "Lot",
    "LotEdge",
    "LotKind",
    "LotPlot",
    "Plot",
    "Stamp",
    "StampBatch",
    "StampReport",
    "StampScan",
    "TradeItem",
]
