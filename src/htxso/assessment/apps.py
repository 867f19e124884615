from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "htxso.assessment"
    label = "assessment"
    verbose_name = _("DX assessment")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Dimension, LevelBand, Option, Question, Questionnaire
        from .services_survey import STRUCTURE

        for model in (Questionnaire, Dimension, Question, Option, LevelBand):
            post_save.connect(STRUCTURE.forget, sender=model, dispatch_uid=f"dx-{model.__name__}")
            post_delete.connect(
                STRUCTURE.forget, sender=model, dispatch_uid=f"dx-d-{model.__name__}"
            )
        m2m_changed.connect(
            STRUCTURE.forget, sender=Question.also_counts_for.through, dispatch_uid="dx-also"
        )
