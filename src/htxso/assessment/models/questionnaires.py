"""The questionnaire as data: versions, dimensions, questions, options, level bands.

A questionnaire is national (the VCA publishes it); a version, once published, is never
edited — a change is a new version whose questions keep their stable ``qid`` (or name the
``qid`` they replace in ``mapped_from``, or say they are not comparable).  Scoring rules
are data too: each option's score (0–100), each question's and dimension's weight, and
the level bands that turn a 0–100 score into a level 0–5 (DBI's levels).

Who may do what: everyone signed in with a role reads a published version (``view``:
staff and organisations' people); the VCA changes them (``change``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy

__all__ = [
    "Dimension",
    "DimensionFamily",
    "LevelBand",
    "Option",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireStatus",
]


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Questionnaire(models.Model):
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("DX questionnaire")
        verbose_name_plural = _("DX questionnaires")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="assessment_qn_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class DimensionFamily(models.TextChoices):
    EU_DMA = "eu_dma", _("EU Digital Maturity Assessment")
    DBI = "dbi", _("Vietnam DBI pillar")
    COOPERATIVE = "coop", _("Cooperative dimension")


class Dimension(models.Model):
    """A dimension scored 0–100: an EU DMA dimension, a DBI pillar or one of ours."""

    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="dimensions"
    )
    key = models.SlugField(_("key"), max_length=40)
    family = models.CharField(_("family"), max_length=8, choices=DimensionFamily.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2000, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=1)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["questionnaire", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="assessment_dim_key"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTI = "multi", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number")


class Question(models.Model):
    """One question with a stable id (``qid``) kept across versions."""

    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    #: other dimensions the answer also counts in (e.g. the DBI pillar of an EU DMA
    #: question), so one answer gives both frameworks' scores without asking twice
    also_counts_for = models.ManyToManyField(Dimension, related_name="extra_questions", blank=True)
    #: stable across versions (e.g. ``coop_online_assembly``); the XLSForm ``name``
    qid = models.SlugField(_("question id"), max_length=60)
    text = models.CharField(_("question"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    help = models.TextField(_("help"), max_length=2000, blank=True)
    help_en = models.TextField(_("help (English)"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    #: an answer above the lowest option needs a photo or a file
    needs_evidence = models.BooleanField(_("needs evidence"), default=False)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=1)
    #: for NUMBER questions: the bounds and the value that scores 100
    number_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    number_full = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    #: the ``qid`` of the previous version this question replaces (blank = same qid)
    mapped_from = models.SlugField(_("replaces question"), max_length=60, blank=True)
    #: False when the question changed so much that T0 and T1 answers cannot be compared
    comparable = models.BooleanField(_("comparable with earlier versions"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "qid"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "qid"], name="assessment_q_qid"),
        ]

    def __str__(self) -> str:
        return self.qid


class Option(models.Model):
    """A choice of a SINGLE/MULTI/YES_NO question and its score (0–100)."""

    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    value = models.SlugField(_("value"), max_length=40)
    label = models.CharField(_("label"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order", "value"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="assessment_opt_value"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                name="assessment_opt_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class LevelBand(models.Model):
    """Scores from ``min_score`` up belong to ``level`` (0 not started … 5 leading)."""

    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="levels"
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[MaxValueValidator(5)])
    min_score = models.DecimalField(_("from score"), max_digits=5, decimal_places=2)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("level band")
        verbose_name_plural = _("level bands")
        ordering = ["questionnaire", "level"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "level"], name="assessment_level"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"
