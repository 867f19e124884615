"""Reading the free text people write for choices ("HTX", "Tổ hợp tác", "Nông nghiệp"…)."""

from __future__ import annotations

import functools

from htxso.core.text import fold

from ..models import MemberKind, OrganisationKind, OrganisationStatus, Sector, Sex

KIND_WORDS = (
    ("lien hiep", OrganisationKind.UNION),
    ("union", OrganisationKind.UNION),
    ("to hop tac", OrganisationKind.GROUP),
    ("tht", OrganisationKind.GROUP),
    ("group", OrganisationKind.GROUP),
    ("hop tac xa", OrganisationKind.COOPERATIVE),
    ("htx", OrganisationKind.COOPERATIVE),
    ("cooperative", OrganisationKind.COOPERATIVE),
)

SECTOR_WORDS = (
    ("quy tin dung", Sector.CREDIT),
    ("tin dung", Sector.CREDIT),
    ("credit", Sector.CREDIT),
    ("lam nghiep", Sector.FORESTRY),
    ("forestry", Sector.FORESTRY),
    ("thuy san", Sector.FISHERY),
    ("nuoi trong", Sector.FISHERY),
    ("fishery", Sector.FISHERY),
    ("nong nghiep", Sector.AGRICULTURE),
    ("trong trot", Sector.AGRICULTURE),
    ("chan nuoi", Sector.AGRICULTURE),
    ("agriculture", Sector.AGRICULTURE),
    ("cong nghiep", Sector.INDUSTRY),
    ("tieu thu cong", Sector.INDUSTRY),
    ("thu cong", Sector.INDUSTRY),
    ("industry", Sector.INDUSTRY),
    ("xay dung", Sector.CONSTRUCTION),
    ("construction", Sector.CONSTRUCTION),
    ("van tai", Sector.TRANSPORT),
    ("giao thong", Sector.TRANSPORT),
    ("transport", Sector.TRANSPORT),
    ("du lich", Sector.TOURISM),
    ("tourism", Sector.TOURISM),
    ("moi truong", Sector.ENVIRONMENT),
    ("nuoc sach", Sector.ENVIRONMENT),
    ("environment", Sector.ENVIRONMENT),
    ("thuong mai", Sector.TRADE),
    ("dich vu", Sector.TRADE),
    ("trade", Sector.TRADE),
    ("khac", Sector.OTHER),
    ("other", Sector.OTHER),
)

STATUS_WORDS = (
    ("giai the", OrganisationStatus.DISSOLVED),
    ("dissolved", OrganisationStatus.DISSOLVED),
    ("dang giai the", OrganisationStatus.DISSOLVING),
    ("tam ngung", OrganisationStatus.SUSPENDED),
    ("ngung hoat dong", OrganisationStatus.SUSPENDED),
    ("suspended", OrganisationStatus.SUSPENDED),
    ("dang hoat dong", OrganisationStatus.ACTIVE),
    ("hoat dong", OrganisationStatus.ACTIVE),
    ("active", OrganisationStatus.ACTIVE),
    ("operating", OrganisationStatus.ACTIVE),
)

SEX_WORDS = (
    ("nu", Sex.FEMALE),
    ("female", Sex.FEMALE),
    ("f", Sex.FEMALE),
    ("nam", Sex.MALE),
    ("male", Sex.MALE),
    ("m", Sex.MALE),
)

MEMBER_KIND_WORDS = (
    ("khong gop von", MemberKind.SERVICE_ASSOCIATE),
    ("service", MemberKind.SERVICE_ASSOCIATE),
    ("gop von", MemberKind.CAPITAL_ASSOCIATE),
    ("capital", MemberKind.CAPITAL_ASSOCIATE),
    ("lien ket", MemberKind.CAPITAL_ASSOCIATE),
    ("chinh thuc", MemberKind.OFFICIAL),
    ("official", MemberKind.OFFICIAL),
)


@functools.lru_cache(maxsize=4096)
def _lookup(words, text: str | None, *, exact: bool = False):
    if not text:
        return None
    key = fold(text)
    for word, value in words:
        if key == word:
            return value
    if exact:
        return None
    padded = f" {key} "
    for word, value in words:
        if f" {word} " in padded:
            return value
    return None


def read_kind(text):
    return _lookup(KIND_WORDS, text)


def kind_from_name(name: str):
    """ "HTX Nông nghiệp…" → cooperative, "Tổ hợp tác…" → group, "Liên hiệp HTX…" → union."""
    key = fold(name)
    if key.startswith(("lien hiep", "lhhtx")):
        return OrganisationKind.UNION
    if key.startswith(("to hop tac", "tht ")):
        return OrganisationKind.GROUP
    if key.startswith(("hop tac xa", "htx")):
        return OrganisationKind.COOPERATIVE
    return None


def read_sector(text):
    return _lookup(SECTOR_WORDS, text)


def read_status(text):
    return _lookup(STATUS_WORDS, text)


def read_sex(text):
    return _lookup(SEX_WORDS, text, exact=True)


def read_member_kind(text):
    return _lookup(MEMBER_KIND_WORDS, text)
