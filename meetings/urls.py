from django.urls import path, re_path

from .views import calendar, meeting

app_name = "meetings"

urlpatterns = [
    path("meetings/", calendar.meeting_list, name="list"),
    path("meetings/ledger.xlsx", calendar.meeting_ledger, name="ledger"),
    path("meetings/new/", calendar.meeting_create, name="create"),
    path("meetings/recurring/new/", calendar.schedule_create, name="schedule"),
    path("meetings/<int:pk>/", meeting.meeting_detail, name="detail"),
    path("meetings/<int:pk>/minutes/", meeting.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/attendees/", meeting.meeting_attendees, name="attendees"),
    re_path(
        r"^meetings/(?P<pk>[0-9]{1,18})/(?P<action>[a-z_]+)/$",
        meeting.meeting_change,
        name="change",
    ),
    path("meetings/attendees/<int:pk>/remove/", meeting.attendee_remove, name="remove_attendee"),
    path("meetings/topics/<int:pk>/decide/", meeting.topic_decide, name="decide"),
    path("meetings/topics/<int:pk>/petition/", meeting.topic_raise_petition, name="raise_petition"),
    re_path(
        r"^meetings/photos/(?P<pk>[0-9]{1,18})/(?P<size>thumb|full)/$",
        meeting.meeting_photo,
        name="photo",
    ),
]
