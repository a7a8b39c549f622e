from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check on every sign-in that comes with a request (the API token endpoint, the login
    page, the admin). Code that authenticates without a request (the test client's `login`) is
    not a door anyone outside can knock on, so it is not throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
