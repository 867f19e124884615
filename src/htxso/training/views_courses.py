"""Pages of the courses part: the staff's planning (list, course, modules, sessions,
trainers, status, roster, import), the public catalogue, enrolment, "my training".

Thin: parse (a form) → access (``@access`` and the models' policies) → service or
selector → render.  Another province's course is a 404, whoever asks.

The catalogue (``/dao-tao/``) and a course's public page are open to any visitor, for
open courses only: title, description, kind, audience, funder, dates, hours, sessions'
places and the number of free places — never who enrolled.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, reach_of
from htxso.geo.models import Province, Ward

from . import importing_courses, selectors_courses, services_courses
from .forms_courses import (
    ConfirmImportForm,
    CourseForm,
    EnrolSelfForm,
    FilterForm,
    ImportForm,
    MembersForm,
    ModuleForm,
    RemoveForm,
    SessionForm,
    StatusForm,
    TrainersForm,
)
from .models import Course, CourseSession, CourseStatus, Enrolment, Module

PAGE_SIZE = 20
STAFF_AND_TRAINERS = roles.STAFF | {roles.Role.TRAINER}
MANAGER = frozenset({roles.Role.COOP_MANAGER})
_IMPORT_KEY = "training_import"


def _url_or_none(name: str, *args: Any) -> str | None:
    """A route another part of the app may not have yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _provinces_for(user: Any) -> tuple[list[tuple[str, str]], bool]:
    everywhere, provinces, _orgs = reach_of(user, Course.policy.roles("change"))
    qs = Province.objects.order_by("name")
    if not everywhere:
        qs = qs.filter(pk__in=sorted(provinces))
    return list(qs.values_list("code", "name")), everywhere


# ------------------------------------------------------------------ staff: the list


@access(roles=STAFF_AND_TRAINERS)
def course_list(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET)
    values = filters.values()
    qs = selectors_courses.course_list(
        user=request.user, filters=selectors_courses.CourseFilters(**values)
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/courses/list.html",
        {
            "filters": filters,
            "page": page,
            "filtered": any(values.values()),
            "can_plan": Course.policy.reach(request.user, "change")[0]
            or bool(Course.policy.reach(request.user, "change")[1]),
        },
    )


@access(roles=roles.REVIEWERS)
def course_new(request: HttpRequest) -> HttpResponse:
    provinces, national = _provinces_for(request.user)
    if request.method == "POST":
        form = CourseForm(request.POST, provinces=provinces, national=national)
        if form.is_valid():
            course = form.apply(
                lambda: services_courses.course_create(
                    actor=request.user, fields=form.fields_value()
                )
            )
            if course is not None:
                messages.success(request, _("The course was created as a draft."))
                return redirect("training:course_detail", course.pk)
    else:
        initial = {"province": provinces[0][0]} if len(provinces) == 1 and not national else {}
        form = CourseForm(initial=initial, provinces=provinces, national=national)
    return render(request, "training/courses/form.html", {"form": form, "course": None})


def _course(request: HttpRequest, pk: int, action: str = "view") -> Course:
    return get_allowed_or_404(
        Course.objects.select_related("province"), request.user, action, pk=pk
    )


@access(roles=STAFF_AND_TRAINERS)
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    can_change = Course.policy.allows(request.user, "change", course)
    editable = can_change and course.status in services_courses.EDITABLE
    roster = selectors_courses.roster(user=request.user, course=course)
    return render(
        request,
        "training/courses/detail.html",
        {
            "course": course,
            **selectors_courses.course_detail(course),
            "roster": roster,
            "can_change": can_change,
            "editable": editable,
            "next_statuses": [
                (s, CourseStatus(s).label) for s in services_courses.TRANSITIONS[course.status]
            ]
            if can_change
            else [],
            "module_form": ModuleForm(),
            "public_url": reverse("training:public_course", args=[course.pk])
            if course.status == CourseStatus.OPEN
            else None,
            "attendance_url": _url_or_none("training:attendance_course", course.pk),
            "completion_url": _url_or_none("training:completion", course.pk)
            if Course.policy.allows(request.user, "teach", course)
            else None,
        },
    )


@access(roles=roles.REVIEWERS)
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    provinces, national = _provinces_for(request.user)
    if course.province_id and course.province_id not in {c for c, _n in provinces}:
        provinces.append((course.province_id, course.province.name))
    if request.method == "POST":
        form = CourseForm(request.POST, provinces=provinces, national=national)
        if form.is_valid():
            done = form.apply(
                lambda: services_courses.course_update(
                    actor=request.user, course=course, fields=form.fields_value()
                )
            )
            if done is not None:
                messages.success(request, _("The course was saved."))
                return redirect("training:course_detail", course.pk)
    else:
        initial = {
            f: getattr(course, f)
            for f in (
                "title",
                "description",
                "kind",
                "audience",
                "funded_by",
                "capacity",
                "starts_on",
                "ends_on",
                "min_attendance_percent",
                "pass_score",
                "requires_store",
            )
        }
        initial["province"] = course.province_id or ""
        form = CourseForm(initial=initial, provinces=provinces, national=national)
    return render(request, "training/courses/form.html", {"form": form, "course": course})


@require_POST
@access(roles=roles.REVIEWERS)
def course_status(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("training:course_detail", course.pk)
    try:
        course = services_courses.course_set_status(
            actor=request.user, course=course, status=form.cleaned_data["status"]
        )
        messages.success(
            request, _("The course is now: %(status)s.") % {"status": course.get_status_display()}
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("training:course_detail", course.pk)


@require_POST
@access(roles=roles.REVIEWERS)
def module_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            services_courses.module_add(
                actor=request.user,
                course=course,
                title=form.cleaned_data["title"],
                hours=form.cleaned_data["hours"],
            )
            messages.success(request, _("The module was added."))
        except ServiceError as exc:
            show_service_error(request, exc)
    else:
        messages.error(request, _("Give the module's title and its hours."))
    return redirect(reverse("training:course_detail", args=[course.pk]) + "#modules")


def _remove_item(request: HttpRequest, pk: int, model, remove, done: str, anchor: str):
    """Remove one module or session of a course (the POST's ``item``), through its
    service, and go back to that part of the course page."""
    course = _course(request, pk, "change")
    form = RemoveForm(request.POST)
    item = (
        model.objects.filter(course=course, pk=form.cleaned_data["item"]).first()
        if form.is_valid()
        else None
    )
    back = redirect(reverse("training:course_detail", args=[course.pk]) + anchor)
    if item is None:
        messages.error(request, _("Choose what to remove."))
        return back
    try:
        remove(request.user, item)  # the signed-in user is the actor
        messages.success(request, done)
    except ServiceError as exc:
        show_service_error(request, exc)
    return back


@require_POST
@access(roles=roles.REVIEWERS)
def module_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove_item(
        request,
        pk,
        Module,
        lambda user, module: services_courses.module_remove(actor=user, module=module),
        _("The module was removed."),
        "#modules",
    )


def _wards(course: Course) -> list[tuple[str, str]]:
    if not course.province_id:
        return []
    return list(
        Ward.objects.filter(province_id=course.province_id)
        .order_by("name")
        .values_list("code", "name")
    )


@access(roles=roles.REVIEWERS)
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    wards = _wards(course)
    if request.method == "POST":
        form = SessionForm(request.POST, wards=wards)
        if form.is_valid():
            done = form.apply(
                lambda: services_courses.session_add(
                    actor=request.user, course=course, fields=form.fields_value()
                )
            )
            if done is not None:
                messages.success(request, _("The session was added."))
                return redirect(reverse("training:course_detail", args=[course.pk]) + "#sessions")
    else:
        form = SessionForm(wards=wards)
    return render(request, "training/courses/session_form.html", {"form": form, "course": course})


@require_POST
@access(roles=roles.REVIEWERS)
def session_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove_item(
        request,
        pk,
        CourseSession,
        lambda user, session: services_courses.session_remove(actor=user, session=session),
        _("The session was removed."),
        "#sessions",
    )


def _trainer_choices():
    from htxso.accounts.models import User

    return (
        User.objects.filter(role_assignments__role=roles.Role.TRAINER, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


@access(roles=roles.REVIEWERS)
def course_trainers(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    queryset = _trainer_choices()
    if request.method == "POST":
        form = TrainersForm(request.POST, queryset=queryset)
        if form.is_valid():
            done = form.apply(
                lambda: services_courses.course_set_trainers(
                    actor=request.user,
                    course=course,
                    trainers=list(form.cleaned_data["trainers"]),
                )
            )
            if done is not None:
                messages.success(request, _("The trainers were saved."))
                return redirect("training:course_detail", course.pk)
    else:
        form = TrainersForm(
            initial={"trainers": list(course.trainers.values_list("pk", flat=True))},
            queryset=queryset,
        )
    return render(
        request,
        "training/courses/trainers.html",
        {"form": form, "course": course, "has_trainers": queryset.exists()},
    )


# ------------------------------------------------------------------ staff: import


@access(roles=roles.REVIEWERS)
def course_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a list (xlsx/csv) → preview with each row's problems → confirm."""
    course = _course(request, pk, "change")
    preview, token = None, ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            preview = form.apply(lambda: importing_courses.read_upload(form.cleaned_data["file"]))
            if preview is not None and preview.ok:
                token = secrets.token_urlsafe(16)
                request.session[_IMPORT_KEY] = {
                    "token": token,
                    "course": course.pk,
                    "rows": [r.as_dict() for r in preview.rows],
                }
    else:
        form = ImportForm()
    return render(
        request,
        "training/courses/import.html",
        {
            "form": form,
            "course": course,
            "preview": preview,
            "confirm": ConfirmImportForm(initial={"token": token}) if token else None,
        },
    )


@require_POST
@access(roles=roles.REVIEWERS)
def course_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    form = ConfirmImportForm(request.POST)
    kept = request.session.get(_IMPORT_KEY) or {}
    if (
        not form.is_valid()
        or kept.get("token") != form.cleaned_data["token"]
        or kept.get("course") != course.pk
    ):
        messages.error(request, _("This preview has expired: upload the file again."))
        return redirect("training:course_import", course.pk)
    rows = importing_courses.rows_from_session(kept.get("rows") or [])
    try:
        done = services_courses.enrol_imported(actor=request.user, course=course, rows=rows)
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("training:course_import", course.pk)
    request.session.pop(_IMPORT_KEY, None)
    messages.success(request, _("%(n)s participants were enrolled.") % {"n": len(done)})
    return redirect(reverse("training:course_detail", args=[course.pk]) + "#roster")


# ------------------------------------------------------------------ public


@access(public=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET)
    values = filters.values()
    values["status"] = ""
    qs = selectors_courses.catalogue(filters=selectors_courses.CourseFilters(**values))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/courses/catalogue.html",
        {"filters": filters, "page": page, "filtered": any(values.values())},
    )


@access(public=True)
def public_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors_courses.public_course(pk=pk)
    if course is None:
        raise Http404
    mine = selectors_courses.my_enrolment_in(user=request.user, course=course)
    return render(
        request,
        "training/courses/public.html",
        {
            "course": course,
            **selectors_courses.course_detail(course),
            "mine": mine,
            "can_enrol_members": request.user.is_authenticated
            and selectors_courses.managed_organisations(user=request.user).exists(),
        },
    )


# ------------------------------------------------------------------ enrolment


@access(authenticated=True)
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors_courses.public_course(pk=pk)
    if course is None:
        raise Http404
    mine = selectors_courses.my_enrolment_in(user=request.user, course=course)
    if mine is not None and mine.status != "withdrawn":
        return redirect("training:my_training")
    from htxso.registry.models import Person

    has_person = Person.objects.filter(user=request.user).exists()
    online = course.sessions.exclude(mode="in_person").exists()
    if request.method == "POST":
        form = EnrolSelfForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            done = form.apply(
                lambda: services_courses.enrol_self(
                    actor=request.user,
                    course=course,
                    full_name=d.get("full_name") or "",
                    birth_year=d.get("birth_year"),
                    sex=d.get("sex") or "",
                    remote=bool(d.get("remote")),
                )
            )
            if done is not None:
                messages.success(
                    request, _("You are enrolled in %(course)s.") % {"course": course.title}
                )
                return redirect("training:my_training")
    else:
        form = EnrolSelfForm(initial={"full_name": request.user.full_name})
    return render(
        request,
        "training/courses/enrol.html",
        {"form": form, "course": course, "has_person": has_person, "online": online},
    )


@access(roles=MANAGER)
def enrol_members(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors_courses.public_course(pk=pk)
    if course is None:
        raise Http404
    orgs = list(selectors_courses.managed_organisations(user=request.user))
    if not orgs:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    picked = RemoveForm({"item": source.get("org") or orgs[0].pk})
    org_id = picked.cleaned_data["item"] if picked.is_valid() else orgs[0].pk
    organisation = next((o for o in orgs if o.pk == org_id), None)
    if organisation is None:
        raise Http404
    members = selectors_courses.members_to_enrol(organisation=organisation, course=course)
    if request.method == "POST":
        form = MembersForm(request.POST, members=members)
        if form.is_valid():
            from htxso.registry.models import Person

            people = list(Person.objects.filter(pk__in=form.cleaned_data["people"]))
            done = form.apply(
                lambda: services_courses.enrol_members(
                    actor=request.user, course=course, organisation=organisation, people=people
                )
            )
            if done is not None:
                messages.success(request, _("%(n)s members were enrolled.") % {"n": len(done)})
                return redirect(
                    reverse("training:enrol_members", args=[course.pk]) + f"?org={organisation.pk}"
                )
    else:
        form = MembersForm(initial={"org": organisation.pk}, members=members)
    return render(
        request,
        "training/courses/members.html",
        {
            "form": form,
            "course": course,
            "organisation": organisation,
            "organisations": orgs,
            "members": members,
        },
    )


@require_POST
@access(authenticated=True)
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_allowed_or_404(
        Enrolment.objects.select_related("person", "course"), request.user, "view", pk=pk
    )
    try:
        services_courses.enrolment_withdraw(actor=request.user, enrolment=enrolment)
        messages.success(request, _("The enrolment was withdrawn."))
    except ServiceError as exc:
        show_service_error(request, exc)
    if enrolment.user_id == request.user.pk or enrolment.person.user_id == request.user.pk:
        return redirect("training:my_training")
    if Course.policy.allows(request.user, "view", enrolment.course):
        return redirect(reverse("training:course_detail", args=[enrolment.course_id]) + "#roster")
    return redirect("training:catalogue")


@access(authenticated=True)
def my_training(request: HttpRequest) -> HttpResponse:
    rows = []
    for e in selectors_courses.my_enrolments(user=request.user):
        rows.append(
            {
                "enrolment": e,
                "sessions": list(e.course.sessions.all()),
                "certificate_url": _url_or_none("training:my_certificate", e.pk),
                "attendance_url": _url_or_none("training:my_attendance", e.pk),
            }
        )
    return render(request, "training/courses/my_training.html", {"rows": rows})
