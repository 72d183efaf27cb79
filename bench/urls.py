"""The platform's URLs plus a bare Django view returning a constant: the API benchmark's baseline."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from sangsaeng.urls import handler400, handler403, handler404, handler500  # noqa: F401
from sangsaeng.urls import urlpatterns as platform


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("_bench/constant", constant), *platform]
