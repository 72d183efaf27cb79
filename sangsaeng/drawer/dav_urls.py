from django.urls import re_path

from sangsaeng.drawer import dav_views

urlpatterns = [re_path(r"^(?P<path>.*)$", dav_views.dav, name="dav")]
