from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from yiwang.permissions import remember_scope, scope_columns


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check on every sign-in that comes with a request (the API token endpoint, the login
    page, the admin). Code that authenticates without a request (the test client's `login`) is
    not a door anyone outside can knock on, so it is not throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ScopedModelBackend(ModelBackend):
    """Django's password backend, whose `get_user` (run once per request for a signed-in page)
    also reads the user's scope in the same statement: a page then pays one query for the user
    and its roles, department, region and represented applicants instead of four."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.annotate(**scope_columns(None))
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_scope(user, user)
        return user
