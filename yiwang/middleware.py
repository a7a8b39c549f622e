"""Turn a domain error raised in a page view into a page that explains it (4xx, never 500)."""

from yiwang.errors import DomainError
from yiwang.workbench.views import domain_error_page


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return domain_error_page(request, exception)
        return None
