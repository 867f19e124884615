"""Issue 17: programme eligibility reads only the annual reports the province has
received (submitted) or accepted.  A draft — or a report returned for changes — is the
organisation's unchecked work: its figures make a cooperative neither eligible nor
ineligible."""

from __future__ import annotations

import pytest
from django.utils import timezone

from htxso.programs.services import applications, calls
from htxso.registry.models import AnnualReport, Organisation
from htxso.registry.rules.batch import evaluate_many

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    return call


def verdicts(application) -> dict[str, str]:
    return {r.criterion.kind: r.verdict for r in application.results.select_related("criterion")}


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_unchecked_reports_do_not_make_a_cooperative_eligible(world, call, status):
    a1 = world.orgs["a1"]
    make_eligible(a1, status=status)  # the figures would pass every computed criterion
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    got = verdicts(application)
    # no checked report: "no data", never "pass"
    assert got["youth_share"] == "no_data", got
    assert got["finance"] == "no_data", got
    assert got["value_chain"] == "pass"  # from the registry's value-chain link
    assert application.eligible is not True


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_submitted_or_accepted_reports_count(world, call, status):
    a1 = world.orgs["a1"]
    make_eligible(a1, status=status)
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    got = verdicts(application)
    assert got["youth_share"] == got["finance"] == got["value_chain"] == "pass", got


def test_a_later_draft_does_not_make_a_cooperative_ineligible(world, call):
    a1 = world.orgs["a1"]
    year = timezone.localdate().year
    make_eligible(a1)  # accepted reports of the two last years: 6/10 under 35
    # this year's draft, still being typed: nobody under 35, a loss, no value chain
    AnnualReport.objects.create(
        organisation=a1,
        year=year,
        status="draft",
        workers_total=10,
        workers_youth=0,
        profit=-5_000_000,
        in_value_chain=False,
    )
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    results = {r.criterion.kind: r for r in application.results.select_related("criterion")}
    assert results["youth_share"].verdict == "pass"
    assert results["youth_share"].data["year"] == year - 1  # the accepted report
    assert results["finance"].verdict == "pass"


def test_a_returned_loss_does_not_fail_the_finance_criterion(world, call):
    a1 = world.orgs["a1"]
    year = timezone.localdate().year
    make_eligible(a1)
    AnnualReport.objects.filter(organisation=a1, year=year - 1).update(status="returned", profit=-1)
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    result = application.results.get(criterion__kind="finance")
    assert result.verdict == "no_data"
    assert result.data["years"] == [year - 1]


def test_re_evaluation_follows_the_report_once_it_is_accepted(world, call):
    a1 = world.orgs["a1"]
    make_eligible(a1, status="draft")
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    assert verdicts(application)["finance"] == "no_data"
    AnnualReport.objects.filter(organisation=a1).update(status="accepted")
    applications.evaluate_application(application)
    assert verdicts(application)["finance"] == "pass"


def test_the_batch_preview_reads_the_same_reports(world, call):
    """The call's preview over the registry (``evaluate_many``) and the application agree."""
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    make_eligible(a1, status="draft")
    make_eligible(b1, status="submitted")
    criteria = list(call.criteria.all())
    on = timezone.localdate()
    result, _facts = evaluate_many(criteria, Organisation.objects.filter(pk__in=[a1.pk, b1.pk]), on)
    assert result.eligible[a1.pk] is not True
    assert result.eligible[b1.pk] is True  # every computed criterion passes
    # the draft's figures are not even loaded
    assert _facts[a1.pk].reports == {}
    assert set(_facts[b1.pk].reports) == {on.year - 2, on.year - 1}


def test_old_drafts_are_ignored_for_the_youth_fallback_too(world, call):
    a1 = world.orgs["a1"]
    year = timezone.localdate().year
    # an accepted report three years back and drafts since: the accepted one is used
    AnnualReport.objects.create(
        organisation=a1, year=year - 3, status="accepted", workers_total=10, workers_youth=1
    )
    for y in (year - 2, year - 1):
        AnnualReport.objects.create(
            organisation=a1, year=y, status="draft", workers_total=10, workers_youth=9
        )
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    result = application.results.get(criterion__kind="youth_share")
    assert result.verdict == "fail"
    assert result.data["year"] == year - 3
