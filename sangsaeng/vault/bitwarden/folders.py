"""`/api/folders`: create, read, update and delete folders (Vaultwarden's `folders.rs`)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse

from sangsaeng.vault import items, selectors
from sangsaeng.vault.bitwarden.http import actor, endpoint, json_response, read_object
from sangsaeng.vault.bitwarden.shapes import folder_json


def _list(request: HttpRequest) -> HttpResponse:
    folders = selectors.folder_list(account=actor(request))
    return json_response({"data": [folder_json(f) for f in folders], "object": "list", "continuationToken": None})


def _create(request: HttpRequest) -> HttpResponse:
    data = items.lower_keys(read_object(request))
    folder = items.folder_create(actor=actor(request), name=data.get("name"))
    return json_response(folder_json(folder))


def _get(request: HttpRequest, folder_id: UUID) -> HttpResponse:
    folder = items.access_folder(actor=actor(request), folder_id=folder_id)
    return json_response(folder_json(folder))


def _update(request: HttpRequest, folder_id: UUID) -> HttpResponse:
    data = items.lower_keys(read_object(request))
    folder = items.folder_update(actor=actor(request), folder_id=folder_id, name=data.get("name"))
    return json_response(folder_json(folder))


def _delete(request: HttpRequest, folder_id: UUID) -> HttpResponse:
    items.folder_delete(actor=actor(request), folder_id=folder_id)
    return HttpResponse(status=200)


folders = endpoint({"GET": _list, "POST": _create})
folder = endpoint({"GET": _get, "PUT": _update, "POST": _update, "DELETE": _delete})
folder_delete = endpoint({"POST": _delete})
