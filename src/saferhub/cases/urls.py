from django.urls import URLPattern, path

from saferhub.cases import case_views, iom_channel_views, marac_views, review_views, views

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path("", views.CaseListView.as_view(), name="list"),
    path("mine/", views.MyCasesView.as_view(), name="mine"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/break-glass/", views.BreakGlassView.as_view(), name="break_glass"),
    path("case-reviews/import/", views.ExchangeImportView.as_view(), name="import"),
    path("case-reviews/figures/", views.FiguresView.as_view(), name="figures"),
    # High-risk domestic abuse: DASH checklists, MARAC referrals, meetings and actions.
    path("marac/", marac_views.MaracHomeView.as_view(), name="marac_home"),
    path("marac/dash/new/", marac_views.DashNewView.as_view(), name="dash_new"),
    path("marac/dash/<int:pk>/", marac_views.DashDetailView.as_view(), name="dash_detail"),
    path("marac/cases/<int:pk>/", marac_views.MaracCaseView.as_view(), name="marac_case"),
    path("marac/meetings/", marac_views.MeetingListView.as_view(), name="marac_meetings"),
    path("marac/meetings/<int:pk>/", marac_views.MeetingView.as_view(), name="marac_meeting"),
    path(
        "marac/meetings/<int:pk>/members/",
        marac_views.MeetingMemberView.as_view(),
        name="marac_meeting_member",
    ),
    path(
        "marac/meetings/<int:pk>/cases/<int:case_pk>/research/",
        marac_views.ResearchView.as_view(),
        name="marac_research",
    ),
    path("marac/cases/<int:pk>/idva/", marac_views.IdvaView.as_view(), name="marac_idva"),
    path(
        "marac/cases/<int:pk>/address/",
        marac_views.AddressAccessView.as_view(),
        name="marac_address",
    ),
    path("marac/actions/", marac_views.ActionTrackerView.as_view(), name="marac_actions"),
    path("marac/actions/<int:pk>/", marac_views.ActionStatusView.as_view(), name="marac_action"),
    path("marac/return/", marac_views.MaracReturnView.as_view(), name="marac_return"),
    # Integrated Offender Management and Channel.
    path("iom/", iom_channel_views.IomHomeView.as_view(), name="iom_home"),
    path("iom/cohorts/<int:pk>/", iom_channel_views.IomCohortView.as_view(), name="iom_cohort"),
    path("iom/members/<int:pk>/", iom_channel_views.IomMemberView.as_view(), name="iom_member"),
    path("channel/", iom_channel_views.ChannelListView.as_view(), name="channel_list"),
    path("channel/<int:pk>/", iom_channel_views.ChannelCaseView.as_view(), name="channel_case"),
]

# Working IOM and Channel cases: one form per step.
V = iom_channel_views
M = "iom/members/<int:pk>/"
C = "channel/<int:pk>/"
urlpatterns += [
    path("iom/cohorts/new/", V.IomCohortNewView.as_view(), name="iom_cohort_new"),
    path(
        "iom/cohorts/<int:pk>/candidates/new/",
        V.IomCandidateNewView.as_view(),
        name="iom_candidate_new",
    ),
    path(M + "offending/add/", V.IomOffendingAddView.as_view(), name="iom_offending_add"),
    path(M + "adopt/", V.IomAdoptView.as_view(), name="iom_adopt"),
    path(M + "deselect/", V.IomDeselectView.as_view(), name="iom_deselect"),
    path(M + "plan/add/", V.IomPlanActionAddView.as_view(), name="iom_plan_add"),
    path(M + "review/", V.IomReviewView.as_view(), name="iom_review"),
    path("channel/refer/", V.ChannelReferView.as_view(), name="channel_refer"),
    path(C + "panel/add/", V.ChannelPanelMemberAddView.as_view(), name="channel_panel_add"),
    path(C + "assessment/", V.ChannelAssessView.as_view(), name="channel_assess"),
    path(C + "support-plan/", V.ChannelSupportPlanView.as_view(), name="channel_support_plan"),
    path(C + "support/add/", V.ChannelSupportAddView.as_view(), name="channel_support_add"),
    path(C + "review/", V.ChannelReviewView.as_view(), name="channel_review"),
    path(C + "exit/", V.ChannelExitView.as_view(), name="channel_exit"),
]

# Opening and working an ASB case.
urlpatterns += [
    path("asb/open/", case_views.AsbCaseOpenView.as_view(), name="asb_open"),
    path("<int:pk>/parties/add/", case_views.PartyAddView.as_view(), name="party_add"),
    path("<int:pk>/incidents/add/", case_views.IncidentAddView.as_view(), name="incident_add"),
    path("<int:pk>/risk-assessment/", case_views.RiskAssessView.as_view(), name="risk_assess"),
    path(
        "<int:pk>/interventions/add/",
        case_views.InterventionAddView.as_view(),
        name="intervention_add",
    ),
    path("<int:pk>/review/", case_views.ReviewView.as_view(), name="review"),
    path("<int:pk>/victim-update/", case_views.VictimUpdateView.as_view(), name="victim_update"),
    path("<int:pk>/close/", case_views.CloseView.as_view(), name="close"),
]

# The ASB Case Review (staff pages).
R = "case-reviews/<int:pk>/"
urlpatterns += [
    path("case-reviews/", review_views.ApplicationListView.as_view(), name="case_reviews"),
    path("case-reviews/new/", review_views.ApplicationNewView.as_view(), name="case_review_new"),
    path(R, review_views.ApplicationDetailView.as_view(), name="case_review"),
    path(R + "match/", review_views.MatchView.as_view(), name="case_review_match"),
    path(R + "decision/", review_views.DecisionView.as_view(), name="case_review_decide"),
    path(R + "meeting/", review_views.MeetingView.as_view(), name="case_review_meeting"),
    path(
        R + "recommendations/add/",
        review_views.RecommendationView.as_view(),
        name="case_review_recommendation",
    ),
    path(R + "letter/", review_views.LetterView.as_view(), name="case_review_letter"),
    path(
        R + "letter.<str:fmt>",
        review_views.LetterDocumentView.as_view(),
        name="case_review_letter_document",
    ),
    path(R + "appeal/", review_views.AppealView.as_view(), name="case_review_appeal"),
    path(
        R + "appeal/outcome/",
        review_views.AppealOutcomeView.as_view(),
        name="case_review_appeal_outcome",
    ),
]
