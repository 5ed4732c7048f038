from django.urls import URLPattern, URLResolver, path

from saferhub.governance import board_views, edit_views, project_views, risk_views, views

app_name = "governance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("budget/", views.YearListView.as_view(), name="years"),
    path("budget/new/", views.YearCreateView.as_view(), name="year_create"),
    path("budget/<int:pk>/", views.BudgetView.as_view(), name="budget"),
    path("budget/<int:pk>/workbook/", views.BudgetWorkbookView.as_view(), name="workbook"),
    path("budget/<int:pk>/import/", views.BudgetImportView.as_view(), name="import"),
    path("budget/<int:pk>/status/", views.YearStatusView.as_view(), name="year_status"),
    path("budget/<int:pk>/income/new/", views.IncomeCreateView.as_view(), name="income_create"),
    path(
        "budget/<int:pk>/expenditure/new/",
        views.ExpenditureCreateView.as_view(),
        name="expenditure_create",
    ),
    path("budget/lines/<int:pk>/spend/", views.QuarterSpendView.as_view(), name="spend"),
]

urlpatterns += [
    path("projects/", project_views.ProjectListView.as_view(), name="projects"),
    path("projects/new/", project_views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", project_views.ProjectDetailView.as_view(), name="project"),
    path(
        "projects/<int:pk>/outputs/new/", project_views.OutputAddView.as_view(), name="output_add"
    ),
]

urlpatterns += [
    path("risks/", risk_views.RiskRegisterView.as_view(), name="risks"),
    path("risks/new/", risk_views.RiskCreateView.as_view(), name="risk_create"),
    path("risks/<int:pk>/", risk_views.RiskDetailView.as_view(), name="risk"),
    path("risks/<int:pk>/review/", risk_views.RiskReviewView.as_view(), name="risk_review"),
]

urlpatterns += [path("board-pack/", risk_views.BoardPackView.as_view(), name="board_pack")]

urlpatterns += [
    path("end-of-year/", board_views.EndOfYearView.as_view(), name="end_of_year"),
    path(
        "end-of-year/<int:pk>/publish/",
        board_views.EndOfYearPublishView.as_view(),
        name="end_of_year_publish",
    ),
    path("board/", board_views.BoardListView.as_view(), name="board"),
    path("board/new/", board_views.BoardGroupCreateView.as_view(), name="board_group_create"),
    path("board/<int:pk>/", board_views.BoardGroupView.as_view(), name="board_group"),
    path(
        "board/<int:pk>/members/new/",
        board_views.BoardMemberAddView.as_view(),
        name="board_member_add",
    ),
    path(
        "board/<int:pk>/meetings/new/",
        board_views.BoardMeetingCreateView.as_view(),
        name="board_meeting_create",
    ),
    path("meetings/<int:pk>/", board_views.BoardMeetingView.as_view(), name="board_meeting"),
    path(
        "meetings/<int:pk>/minutes/", board_views.BoardMinutesView.as_view(), name="board_minutes"
    ),
    path(
        "meetings/<int:pk>/decisions/new/",
        board_views.BoardDecisionAddView.as_view(),
        name="board_decision_add",
    ),
    path("consultation/", board_views.ConsultationListView.as_view(), name="consultations"),
    path(
        "consultation/new/",
        board_views.ConsultationCreateView.as_view(),
        name="consultation_create",
    ),
    path(
        "consultation/<int:pk>/edit/",
        board_views.ConsultationEditView.as_view(),
        name="consultation_edit",
    ),
    path("surveys/", board_views.SurveyListView.as_view(), name="surveys"),
    path("surveys/import/", board_views.SurveyImportView.as_view(), name="survey_import"),
]

urlpatterns += [
    path(
        "budget/lines/<int:pk>/edit/",
        edit_views.ExpenditureLineEditView.as_view(),
        name="expenditure_edit",
    ),
    path(
        "budget/income/<int:pk>/edit/", edit_views.IncomeLineEditView.as_view(), name="income_edit"
    ),
    path("projects/<int:pk>/edit/", edit_views.ProjectEditView.as_view(), name="project_edit"),
    path("risks/<int:pk>/edit/", edit_views.RiskEditView.as_view(), name="risk_edit"),
]
