"""Mounted at the project root as `v1/`, where OpenAI clients expect it (base_url=https://HOST/v1)."""

from django.urls import path, re_path

from sangsaeng.lm.openai import views

app_name = "lm_openai"

urlpatterns = [
    path("models", views.models, name="models"),
    path("models/<path:model>", views.model_detail, name="model"),
    path("completions", views.completions, name="completions"),
    path("chat/completions", views.chat_completions, name="chat_completions"),
    path("embeddings", views.embeddings, name="embeddings"),
    # anything else under /v1/ (an empty model name too) is OpenAI's JSON 404, never an HTML page
    re_path(r"^.*$", views.unknown_url, name="unknown"),
]
