from django.urls import path

from .views import directory, grants, groups, people, tokens, twofactor

app_name = "partners"

urlpatterns = [
    path("", directory.index, name="index"),
    path("tokens/new/", tokens.token_create, name="token_create"),
    path("tokens/<id:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("people/", people.index, name="people_index"),
    path("invitations/<str:token>/", people.accept_invitation, name="invitation"),
    path("<slug:slug>/", directory.directory, name="directory"),
    path("<slug:slug>/add/", directory.membership_add, name="membership_add"),
    path("<slug:slug>/settings/", directory.partnership_settings, name="settings"),
    path("<slug:slug>/memberships/<id:pk>/edit/", directory.membership_edit, name="membership_edit"),
    path("<slug:slug>/memberships/<id:pk>/end/", directory.membership_end, name="membership_end"),
    path("<slug:slug>/memberships/<id:pk>/reassign/", directory.membership_reassign, name="membership_reassign"),
    path("<slug:slug>/organisations/<id:pk>/", directory.organisation_detail, name="organisation"),
    path("<slug:slug>/organisations/<id:pk>/edit/", directory.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/organisations/<id:pk>/teams/new/", directory.team_add, name="team_add"),
    path("<slug:slug>/organisations/<id:organisation_pk>/contacts/new/", directory.contact_edit, name="contact_add"),
    path("<slug:slug>/teams/<id:pk>/edit/", directory.team_edit, name="team_edit"),
    path("<slug:slug>/teams/<id:pk>/end/", directory.team_end, name="team_end"),
    path("<slug:slug>/teams/<id:pk>/delete/", directory.team_delete, name="team_delete"),
    path("<slug:slug>/teams/<id:pk>/reassign/", directory.team_reassign, name="team_reassign"),
    path("<slug:slug>/contacts/<id:pk>/edit/", directory.contact_edit, name="contact_edit"),
    path("<slug:slug>/contacts/<id:pk>/delete/", directory.contact_delete, name="contact_delete"),
    path("<slug:slug>/contacts/", directory.contacts_page, name="contacts"),
    path("<slug:slug>/contacts.pdf", directory.contacts_pdf, name="contacts_pdf"),
    path("<slug:slug>/contacts/publish/", directory.contacts_publish, name="contacts_publish"),
    path("<slug:slug>/people/", people.people, name="people"),
    path("<slug:slug>/people/invite/", people.invite, name="invite"),
    path("<slug:slug>/people/<id:pk>/", people.person, name="person"),
    path("<slug:slug>/people/<id:pk>/remove/", people.remove, name="person_remove"),
    path("<slug:slug>/people/<id:pk>/deactivate/", people.deactivate, name="person_deactivate"),
    path("<slug:slug>/people/<id:pk>/reactivate/", people.reactivate, name="person_reactivate"),
    path("<slug:slug>/people/<id:pk>/reset-two-factor/", twofactor.person_reset, name="person_twofactor_reset"),
    path("<slug:slug>/grants/", grants.grant_list, name="grants"),
    path("<slug:slug>/grants/<id:pk>/revoke/", grants.grant_revoke, name="grant_revoke"),
    path("<slug:slug>/groups/", groups.group_list, name="groups"),
    path("<slug:slug>/groups/new/", groups.group_edit, name="group_add"),
    path("<slug:slug>/groups/<id:pk>/edit/", groups.group_edit, name="group_edit"),
]
