"""Every write of the survey part: questionnaires (import, publish), DX leads (name,
retire), assessments (start, answer, evidence, submit).

Each service checks the policy of the model it writes, refuses bad input with a
``ServiceError`` (stable code, precise message), writes in one transaction and leaves
one audit row.  Answers are saved one question at a time (the pages autosave), so a
refused answer never loses the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit, roles
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.cached import Versioned
from htxso.core.errors import Kind, ServiceError, conflict, not_found, refused
from htxso.core.policy import holds_at, require_role
from htxso.core.text import TextError, clean_text
from htxso.registry.models import Organisation

from . import scoring_survey as scoring
from .evidence_survey import check_evidence
from .models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Dimension,
    DimensionScore,
    DxLead,
    Evidence,
    LevelBand,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
)
from .xlsform_survey import read_xlsform

ACTION_LABELS.update(
    {
        "dx_questionnaire.import": _("DX questionnaire imported"),
        "dx_questionnaire.publish": _("DX questionnaire published"),
        "dx_lead.name": _("DX lead named"),
        "dx_lead.retire": _("DX lead retired"),
        "dx_assessment.start": _("DX assessment started"),
        "dx_assessment.answer": _("DX assessment: answer saved"),
        "dx_assessment.evidence_add": _("DX assessment: evidence added"),
        "dx_assessment.evidence_remove": _("DX assessment: evidence removed"),
        "dx_assessment.submit": _("DX assessment submitted"),
    }
)

#: the questionnaire cooperatives answer (the latest published version of it)
QUESTIONNAIRE_CODE = "htx-dx"
MAX_EVIDENCE_PER_ANSWER = 5
MAX_NOTE = 1000


# ======================================================================= questionnaires


def questionnaire_import(*, actor: Actor, data: bytes, publish: bool = False) -> Questionnaire:
    """Create a questionnaire version from an XLSForm workbook (checked by pyxform)."""
    require_role(actor, roles.VCA)
    spec = read_xlsform(data)
    with transaction.atomic():
        if Questionnaire.objects.filter(code=spec["code"], version=spec["version"]).exists():
            raise conflict(
                _(
                    "Version %(version)s of “%(code)s” exists already; give the workbook a new "
                    "version number in its settings sheet."
                ),
                "version_exists",
                {"version": spec["version"], "code": spec["code"]},
            )
        qn = create_from_spec(spec)
        audit.record(
            actor=actor,
            action="dx_questionnaire.import",
            instance=qn,
            after={"code": qn.code, "version": qn.version, "questions": len(spec["questions"])},
        )
        if publish:
            _publish(qn, actor=actor)
    return qn


def create_from_spec(spec: dict[str, Any]) -> Questionnaire:
    """The tables of one questionnaire version from a spec (``xlsform_survey``)."""
    qn = Questionnaire.objects.create(
        code=spec["code"],
        version=spec["version"],
        title=spec["title"],
        title_en=spec.get("title_en", ""),
        description=spec.get("description", ""),
        description_en=spec.get("description_en", ""),
    )
    dims = {}
    for d in spec["dimensions"]:
        dims[d["key"]] = Dimension.objects.create(
            questionnaire=qn,
            key=d["key"],
            family=d["family"],
            name=d["name"],
            name_en=d.get("name_en", ""),
            description=d.get("description", ""),
            description_en=d.get("description_en", ""),
            weight=Decimal(str(d.get("weight", 1))),
            order=d["order"],
        )
    LevelBand.objects.bulk_create(
        LevelBand(
            questionnaire=qn,
            level=lv["level"],
            min_score=Decimal(str(lv["min_score"])),
            name=lv["name"],
            name_en=lv.get("name_en", ""),
        )
        for lv in spec["levels"]
    )
    options = []
    for q in spec["questions"]:
        question = Question.objects.create(
            questionnaire=qn,
            dimension=dims[q["dimension"]],
            qid=q["qid"],
            text=q["text"],
            text_en=q.get("text_en", ""),
            help=q.get("help", ""),
            help_en=q.get("help_en", ""),
            kind=q["kind"],
            needs_evidence=q["needs_evidence"],
            weight=Decimal(str(q.get("weight", 1))),
            number_min=_dec(q.get("number_min")),
            number_max=_dec(q.get("number_max")),
            number_full=_dec(q.get("number_full")),
            mapped_from=q.get("mapped_from", ""),
            comparable=q.get("comparable", True),
            order=q["order"],
        )
        question.also_counts_for.set([dims[k] for k in q.get("also", [])])
        options += [
            Option(
                question=question,
                value=o["value"],
                label=o["label"],
                label_en=o.get("label_en", ""),
                score=Decimal(str(o["score"])),
                order=i + 1,
            )
            for i, o in enumerate(q["options"])
        ]
    Option.objects.bulk_create(options)
    return qn


def _dec(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def questionnaire_publish(*, actor: Actor, questionnaire: Questionnaire) -> Questionnaire:
    """Publish a version.  Drafts keep the version they started with."""
    require_role(actor, roles.VCA)
    with transaction.atomic():
        qn = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if qn.status != QuestionnaireStatus.DRAFT:
            raise conflict(_("Only a draft version can be published."), "not_draft")
        _publish(qn, actor=actor)
    return qn


def _publish(qn: Questionnaire, *, actor: Actor) -> None:
    qn.status = QuestionnaireStatus.PUBLISHED
    qn.published_at = timezone.now()
    qn.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        action="dx_questionnaire.publish",
        instance=qn,
        after={"code": qn.code, "version": qn.version},
    )


def current_questionnaire(code: str = QUESTIONNAIRE_CODE) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(code=code, status=QuestionnaireStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )


# ======================================================================= DX leads


def may_answer_for(user: Any, organisation_id: int) -> bool:
    """Whether ``user`` may fill the organisation's assessment (its manager, the VCA,
    an active DX lead)."""
    if Assessment.policy.allows_at(user, "answer", organisation=organisation_id):
        return True
    if isinstance(user, SystemActor) or not getattr(user, "is_authenticated", False):
        return isinstance(user, SystemActor)
    return DxLead.objects.filter(user=user, organisation_id=organisation_id, active=True).exists()


def lead_name(
    *,
    actor: Actor,
    organisation: Organisation,
    user: Any,
    public_profile: bool = False,
    bio: str = "",
) -> DxLead:
    """Name a person of the organisation (a member or its manager) as a DX lead."""
    DxLead.policy.require_at(actor, "change", organisation=organisation.pk)
    if not holds_at(user, roles.ORGANISATION_PEOPLE, organisation=organisation.pk):
        raise ServiceError(
            "lead_not_member",
            _("Only a person of this cooperative (a member with an account) can be its DX lead."),
            fields={"user": [_("Choose a member of this cooperative.")]},
        )
    bio = _clean(bio, "bio", 500)
    with transaction.atomic():
        lead, created = DxLead.objects.select_for_update().get_or_create(
            organisation=organisation,
            user=user,
            defaults={
                "named_by": actor if not isinstance(actor, SystemActor) else user,
                "public_profile": public_profile,
                "bio": bio,
            },
        )
        if not created:
            if lead.active:
                raise conflict(_("This person is already a DX lead."), "lead_exists")
            lead.active = True
            lead.public_profile, lead.bio = public_profile, bio
            lead.save(update_fields=["active", "public_profile", "bio"])
        audit.record(actor=actor, action="dx_lead.name", instance=lead, after={"user": user.pk})
    return lead


def lead_retire(*, actor: Actor, lead: DxLead) -> DxLead:
    DxLead.policy.require(actor, "change", lead)
    with transaction.atomic():
        lead = DxLead.objects.select_for_update().get(pk=lead.pk)
        if not lead.active:
            raise conflict(_("This DX lead has already been retired."), "lead_retired")
        lead.active = False
        lead.save(update_fields=["active"])
        audit.record(actor=actor, action="dx_lead.retire", instance=lead, after={"active": False})
    return lead


# ======================================================================= assessments


def _require_answer_at(organisation: Organisation, *, actor: Actor) -> None:
    if may_answer_for(actor, organisation.pk):
        return
    if Organisation.policy.allows(actor, "view", organisation):
        raise refused(_("Only the cooperative's manager or its DX leads fill its assessment."))
    raise not_found(_("Not found."))


def start(*, actor: Actor, organisation: Organisation, round: int | None = None) -> Assessment:
    """Resume the organisation's assessment being answered, or begin the next round
    (T0, then T1 … once the previous one is submitted) on the latest published
    questionnaire.  ``round`` asks for a given round: refused when it is not the next."""
    _require_answer_at(organisation, actor=actor)
    with transaction.atomic():
        # serialise starts of one organisation (the draft constraint is the backstop)
        Organisation.objects.select_for_update(of=("self",)).filter(pk=organisation.pk).first()
        rounds = list(
            Assessment.objects.filter(organisation=organisation)
            .order_by("round")
            .values_list("round", "status")
        )
        draft = next((r for r, s in rounds if s == AssessmentStatus.DRAFT), None)
        next_round = (rounds[-1][0] + 1) if rounds else 0
        if draft is not None:
            if round is not None and round != draft:
                raise conflict(
                    _(
                        "Round T%(round)s is still being answered: submit it before starting a "
                        "new round."
                    ),
                    "previous_round_open",
                    {"round": draft},
                )
            return Assessment.objects.get(organisation=organisation, round=draft)
        if round is not None and round != next_round:
            raise conflict(
                _("The next round of this cooperative is T%(round)s."),
                "round_exists" if round < next_round else "round_skipped",
                {"round": next_round},
            )
        qn = current_questionnaire()
        if qn is None:
            raise conflict(_("No DX questionnaire has been published yet."), "no_questionnaire")
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    organisation=organisation,
                    province_id=organisation.province_id,
                    questionnaire=qn,
                    round=next_round,
                    started_by=_user(actor=actor),
                )
        except IntegrityError:
            raise conflict(
                _("Someone else has just started this round; open it again."), "round_started"
            ) from None
        audit.record(
            actor=actor,
            action="dx_assessment.start",
            instance=assessment,
            after={"round": assessment.round, "questionnaire": qn.pk, "version": qn.version},
        )
    return assessment


def _user(*, actor: Actor) -> Any:
    """The user written in ``started_by``/``updated_by``/``submitted_by``: a round is
    answered by a person, so a system actor is refused here."""
    if not isinstance(actor, SystemActor):
        return actor
    raise ServiceError(
        "actor_user_needed", _("A person must do this (a system actor cannot sign it).")
    )


def _lock_draft(assessment: Assessment, *, actor: Actor) -> Assessment:
    Assessment.policy.require(actor, "answer", assessment)
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    if locked.status != AssessmentStatus.DRAFT:
        raise conflict(
            _(
                "This assessment (T%(round)s) has been submitted; its answers can no longer "
                "change. Start a new round to answer again."
            ),
            "assessment_submitted",
            {"round": locked.round},
        )
    return locked


def _clean(value: str | None, field: str, max_length: int) -> str:
    try:
        return clean_text(value or "", max_length=max_length, multiline=True)
    except (TextError, ServiceError) as exc:
        raise ServiceError("invalid", str(exc), fields={field: [str(exc)]}) from None


def _bad_answer(
    code: str, message: Any, params: dict[str, Any] | None = None, field: str = "choices"
):
    return ServiceError(
        code, message, params, fields={field: [ServiceError(code, message, params)]}
    )


def check_answer(
    question: Question, choices: Sequence[str], number: Any
) -> tuple[list[str], Decimal | None, Decimal]:
    """The valid ``(choices, number, score)`` of an answer, or a ``ServiceError``."""
    options = {o.value: o.score for o in question.options.all()}
    if question.kind == QuestionKind.NUMBER:
        if choices:
            raise _bad_answer("answer_kind", _("This question takes a number, not a choice."))
        if number is None or number == "":
            raise _bad_answer("number_required", _("Write a number."), field="number")
        try:
            value = Decimal(str(number).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            raise _bad_answer(
                "number_invalid", _("Write a number, e.g. 12 or 12.5."), field="number"
            ) from None
        low = question.number_min if question.number_min is not None else Decimal(0)
        high = question.number_max
        if not value.is_finite() or value < low or (high is not None and value > high):
            raise _bad_answer(
                "answer_out_of_range",
                _("The number must be from %(min)s to %(max)s."),
                {
                    "min": scoring.plain(low),
                    "max": scoring.plain(high) if high is not None else "…",
                },
                field="number",
            )
        value = scoring.q2(value)
        return [], value, scoring.answer_score(question, [], value, options)
    if number not in (None, ""):
        raise _bad_answer("answer_kind", _("This question takes a choice, not a number."))
    chosen = [str(c) for c in choices]
    if not chosen:
        raise _bad_answer("choice_required", _("Choose an answer."))
    unknown = [c for c in chosen if c not in options]
    if unknown:
        raise _bad_answer(
            "answer_out_of_range",
            _("“%(value)s” is not one of this question's answers."),
            {"value": unknown[0][:40]},
        )
    if len(set(chosen)) != len(chosen):
        raise _bad_answer("choice_repeated", _("An answer is chosen twice."))
    if question.kind != QuestionKind.MULTI and len(chosen) > 1:
        raise _bad_answer("choice_one", _("Choose one answer only."))
    if len(chosen) > 1 and any(options[c] == 0 for c in chosen):
        raise _bad_answer(
            "choice_exclusive",
            _("“None” cannot be chosen together with other answers."),
        )
    # keep the questionnaire's order, whatever order the client sent
    ordered = [v for v in options if v in chosen]
    return ordered, None, scoring.answer_score(question, ordered, None, options)


def save_answer(
    *,
    actor: Actor,
    assessment: Assessment,
    question: Question,
    choices: Iterable[str] = (),
    number: Any = None,
    note: str = "",
) -> Answer:
    """Save (create or replace) the answer to one question of a draft assessment."""
    choices = list(choices)
    note = _clean(note, "note", MAX_NOTE)
    with transaction.atomic():
        locked = _lock_draft(assessment, actor=actor)
        if question.questionnaire_id != locked.questionnaire_id:
            version = (
                Questionnaire.objects.filter(pk=locked.questionnaire_id)
                .values_list("version", flat=True)
                .first()
            )
            raise conflict(
                _(
                    "This question belongs to another version of the questionnaire: your "
                    "assessment keeps version %(version)s. Reload the page; your saved answers "
                    "are kept."
                ),
                "version_changed",
                {"version": version},
            )
        clean_choices, value, score = check_answer(question, choices, number)
        answer, _created = Answer.objects.update_or_create(
            assessment=locked,
            question=question,
            defaults={
                "choices": clean_choices,
                "number": value,
                "note": note,
                "score": score,
                "updated_by": _user(actor=actor),
            },
        )
        audit.record(
            actor=actor,
            action="dx_assessment.answer",
            instance=locked,
            after={
                "question": question.qid,
                "choices": clean_choices,
                "number": None if value is None else str(value),
                "score": str(score),
            },
        )
        Assessment.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return answer


def evidence_add(*, actor: Actor, answer: Answer, upload: Any) -> Evidence:
    """Attach a photo or a PDF to an answer (checked by its content, not its name)."""
    checked = check_evidence(upload)
    with transaction.atomic():
        _lock_draft(answer.assessment, actor=actor)
        if Evidence.objects.filter(answer=answer).count() >= MAX_EVIDENCE_PER_ANSWER:
            raise conflict(
                _("An answer can have at most %(max)s files; remove one first."),
                "evidence_too_many",
                {"max": MAX_EVIDENCE_PER_ANSWER},
            )
        evidence = Evidence(
            answer=answer,
            filename=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=hashlib.sha256(checked.content).hexdigest(),
            uploaded_by=_user(actor=actor),
        )
        evidence.file.save(checked.name, ContentFile(checked.content), save=False)
        evidence.save()
        audit.record(
            actor=actor,
            action="dx_assessment.evidence_add",
            instance=answer.assessment,
            after={
                "question": answer.question.qid,
                "file": evidence.filename,
                "sha256": evidence.sha256,
            },
        )
    return evidence


def evidence_remove(*, actor: Actor, evidence: Evidence) -> None:
    with transaction.atomic():
        assessment = evidence.answer.assessment
        _lock_draft(assessment, actor=actor)
        name = evidence.file.name
        storage = evidence.file.storage
        audit.record(
            actor=actor,
            action="dx_assessment.evidence_remove",
            instance=assessment,
            before={"question": evidence.answer.question.qid, "file": evidence.filename},
        )
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name))


def missing_questions(assessment: Assessment) -> list[Question]:
    answered = Answer.objects.filter(assessment=assessment).values("question_id")
    return list(
        Question.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .exclude(pk__in=answered)
        .select_related("dimension")
        .order_by("dimension__order", "order")
    )


def submit(*, actor: Actor, assessment: Assessment) -> Assessment:
    """Submit a round: every question must be answered; computes the dimension scores
    (EU DMA, cooperative and DBI), the overall score and the level."""
    with transaction.atomic():
        locked = _lock_draft(assessment, actor=actor)
        missing = missing_questions(locked)
        if missing:
            by_dim: dict[str, int] = {}
            for q in missing:
                by_dim[q.dimension.key] = by_dim.get(q.dimension.key, 0) + 1
            raise ServiceError(
                "answers_missing",
                _(
                    "%(count)s questions are not answered yet (first: “%(question)s” in "
                    "%(dimension)s). Your answers are saved; answer the rest, then submit."
                ),
                {
                    "count": len(missing),
                    "question": missing[0].text,
                    "dimension": missing[0].dimension.name,
                },
                details={"missing": by_dim, "questions": [q.qid for q in missing]},
                kind=Kind.INVALID,
            )
        write_scores(locked)
        locked.status = AssessmentStatus.SUBMITTED
        locked.submitted_by = _user(actor=actor)
        locked.submitted_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "submitted_by",
                "submitted_at",
                "overall_score",
                "level",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action="dx_assessment.submit",
            instance=locked,
            after={
                "round": locked.round,
                "overall_score": str(locked.overall_score),
                "level": locked.level,
            },
        )
    return locked


#: A questionnaire's scoring structure, read once per version of the questionnaire tables
#: (a published version does not change; any edit forgets it: see ``apps.ready``).
STRUCTURE = Versioned("assessment:structure", ttl=3600)


def _structure(qn_id: int) -> tuple[list[Any], list[Any], dict[int, set[int]], list[Any]]:
    """(dimensions, questions, dimension id → question ids counting in it, level bands)."""
    dimensions = list(Dimension.objects.filter(questionnaire_id=qn_id).order_by("order", "key"))
    questions = list(
        Question.objects.filter(questionnaire_id=qn_id).only("id", "dimension_id", "weight")
    )
    members: dict[int, set[int]] = {}
    for q in questions:
        members.setdefault(q.dimension_id, set()).add(q.pk)
    for qid, did in Question.also_counts_for.through.objects.filter(
        question__questionnaire_id=qn_id
    ).values_list("question_id", "dimension_id"):
        members.setdefault(did, set()).add(qid)
    bands = list(LevelBand.objects.filter(questionnaire_id=qn_id))
    return dimensions, questions, members, bands


def write_scores(assessment: Assessment) -> list[DimensionScore]:
    """(Re)compute and store the DimensionScores, overall score and level of a round
    from its answers (sets the fields on ``assessment``; the caller saves it)."""
    qn_id = assessment.questionnaire_id
    dimensions, questions, members, bands = STRUCTURE.get_or_set(
        (qn_id,), lambda: _structure(qn_id)
    )
    scores = {
        qid: score
        for qid, score in Answer.objects.filter(assessment=assessment).values_list(
            "question_id", "score"
        )
        if score is not None
    }
    by_dim = scoring.dimension_scores(dimensions, questions, scores, members)
    DimensionScore.objects.filter(assessment=assessment).delete()
    rows = DimensionScore.objects.bulk_create(
        DimensionScore(
            assessment=assessment,
            dimension=d,
            score=by_dim[d.pk][0],
            level=scoring.level_for(by_dim[d.pk][0], bands),
            answered=by_dim[d.pk][1],
            total=by_dim[d.pk][2],
        )
        for d in dimensions
    )
    assessment.overall_score = scoring.overall(dimensions, {k: v[0] for k, v in by_dim.items()})
    assessment.level = scoring.level_for(assessment.overall_score, bands)
    return rows
