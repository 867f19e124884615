"""Routes of the survey part (mounted at ``/chuyen-doi-so/``, namespace ``assessment``)."""

from django.urls import path

from . import views_survey as v

urlpatterns = [
    path("", v.home, name="survey_home"),
    path("to-chuc/<id:org_id>/bat-dau/", v.start, name="survey_start"),
    path("to-chuc/<id:org_id>/nguoi-phu-trach/", v.leads, name="survey_leads"),
    path("nguoi-phu-trach/<id:pk>/thoi/", v.lead_retire, name="survey_lead_retire"),
    path("danh-gia/", v.assessment_list, name="survey_list"),
    path("danh-gia/<id:pk>/", v.results, name="survey_results"),
    path("danh-gia/<id:pk>/tra-loi/<slug:dimension>/", v.answer, name="survey_answer"),
    path("danh-gia/<id:pk>/luu/", v.autosave, name="survey_autosave"),
    path("danh-gia/<id:pk>/minh-chung/", v.evidence_add, name="survey_evidence_add"),
    path("danh-gia/<id:pk>/nop/", v.submit, name="survey_submit"),
    path("minh-chung/<id:pk>/", v.evidence_file, name="survey_evidence"),
    path("minh-chung/<id:pk>/xoa/", v.evidence_remove, name="survey_evidence_remove"),
    path("bo-cau-hoi/", v.questionnaires, name="survey_questionnaire"),
    path("bo-cau-hoi/<id:pk>/xlsform/", v.questionnaire_xlsform, name="survey_xlsform"),
]
