"""Migration 0003: the rows checked against the 2023 law's text (article, confirmed), the
funds' minimum shares added, the reverse, and the pages showing a confirmed row's article
without the "not yet checked" flag."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client

from htxso.governance import rules
from htxso.governance.models import Rule, RuleKey

pytestmark = pytest.mark.django_db

M0003 = importlib.import_module("htxso.governance.migrations.0003_rules_2023_text")
DAY = dt.date(2025, 1, 1)
LAW = "Luật Hợp tác xã 2023, "


@pytest.fixture(autouse=True)
def _rules_2023():
    # a transactional test elsewhere may have flushed the table: conftest puts 0002's
    # rows back; apply 0003 on top (idempotent)
    M0003.confirm_rules(apps, None)


def _row(key, kind="", band_min=0):
    return Rule.objects.get(key=key, org_kind=kind, band_min=band_min, valid_from=M0003.IN_FORCE)


@pytest.mark.parametrize(
    ("key", "kind", "band_min", "article", "confirmed", "value"),
    [
        ("member_capital_max", "", 0, "Điều 74 khoản 1", True, 30),
        ("member_capital_max", "union", 0, "Điều 74 khoản 1", True, 40),
        ("associate_capital_max", "", 0, "Điều 74 khoản 2", True, 30),
        ("associate_capital_max", "union", 0, "Điều 74 khoản 2", True, 40),
        ("annual_assembly_months", "", 0, "Điều 59 khoản 1", True, 4),
        ("delegate_assembly_from", "", 0, "Điều 57 khoản 2", True, 50),
        ("petition_share", "", 0, "Điều 60 khoản 2", True, Decimal("33.3333")),
        ("delegates", "", 51, "Điều 58", False, 50),
        ("delegates", "", 1001, "Điều 58", False, 200),
        ("foreign_members_max", "", 0, "Điều 30 khoản 7", False, 35),
        ("foreign_capital_max", "", 0, "Điều 74", False, 30),
        ("capital_payment_months", "", 0, "Điều 74", False, 6),
        ("quorum_1", "", 0, "Điều 61", False, 50),
        ("special_majority", "", 0, "Điều 61", False, 65),
        ("disclosure_working_days", "", 0, "Điều 14", False, 5),
        ("indivisible_fund_min", "", 0, "Điều 86", False, 5),
        ("indivisible_fund_min", "union", 0, "Điều 86", False, 10),
    ],
)
def test_rows_after_0003(key, kind, band_min, article, confirmed, value):
    row = _row(key, kind, band_min)
    assert row.article == LAW + article
    assert row.confirmed is confirmed
    assert row.value == Decimal(value)


def test_seven_rows_are_confirmed_and_no_fund_minimum_is_invented():
    assert Rule.objects.filter(confirmed=True).count() == 7
    # the 2012 law's 20 % / 5 % are not rows: no 2023 text for them was found
    assert not Rule.objects.filter(
        key__in=[RuleKey.DEVELOPMENT_FUND_MIN, RuleKey.RESERVE_FUND_MIN]
    ).exists()
    assert rules.rule_or_none(RuleKey.RESERVE_FUND_MIN, on=DAY) is None


def test_the_reader_gives_the_new_articles_and_flags():
    r = rules.rule(RuleKey.ANNUAL_ASSEMBLY_MONTHS, on=DAY)
    assert (r.value, r.article, r.confirmed) == (Decimal(4), LAW + "Điều 59 khoản 1", True)
    assert rules.rule(RuleKey.INDIVISIBLE_FUND_MIN, on=DAY, org_kind="union").value == 10
    assert rules.rule(RuleKey.INDIVISIBLE_FUND_MIN, on=DAY, org_kind="cooperative").value == 5
    assert rules.rule_or_none(RuleKey.INDIVISIBLE_FUND_MIN, on=dt.date(2024, 6, 30)) is None


def test_reverse_restores_0002_and_forward_is_idempotent():
    M0003.restore_rules(apps, None)
    assert _row("member_capital_max").article == LAW + "Điều 74"
    assert not _row("member_capital_max").confirmed
    assert _row("annual_assembly_months").article == LAW + "Điều 57"
    assert _row("delegates", band_min=301).article == LAW + "Điều 57"
    assert not Rule.objects.filter(key=RuleKey.INDIVISIBLE_FUND_MIN).exists()
    # 0002's own confirmed rows are not touched
    assert _row("delegate_assembly_from").confirmed
    assert Rule.objects.filter(confirmed=True).count() == 2
    M0003.confirm_rules(apps, None)
    M0003.confirm_rules(apps, None)
    assert Rule.objects.filter(confirmed=True).count() == 7
    assert Rule.objects.filter(key=RuleKey.INDIVISIBLE_FUND_MIN).count() == 2
    # the cached table follows (update() sends no signal; the migration forgets it)
    assert rules.rule(RuleKey.MEMBER_CAPITAL_MAX, on=DAY).confirmed


def test_a_row_the_vca_edited_is_left_alone():
    row = _row("associate_capital_max")
    row.article = "Nghị định giả định, Điều 9"
    row.confirmed = False
    row.save()
    M0003.restore_rules(apps, None)
    M0003.confirm_rules(apps, None)
    row.refresh_from_db()
    assert (row.article, row.confirmed) == ("Nghị định giả định, Điều 9", False)


def test_register_page_shows_a_confirmed_article_without_the_flag(gov, world):
    c = Client()
    c.force_login(world.users["manager_a1"])
    page = c.get(f"/quan-tri-htx/von/htx/{world.orgs['a1'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    confirmed = LAW + "Điều 74 khoản 1"
    assert confirmed in text
    line = text.split(confirmed, 1)[1].split("</li>", 1)[0]
    assert "chưa đối chiếu" not in line and "not yet checked" not in line
    # an unconfirmed row keeps its flag
    assert "chưa đối chiếu với văn bản luật" in text
