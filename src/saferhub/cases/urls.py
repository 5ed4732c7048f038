from django.urls import URLPattern, path

from saferhub.cases import iom_channel_views, marac_views, views

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
