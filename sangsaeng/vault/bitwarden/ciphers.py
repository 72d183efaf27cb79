"""`/api/ciphers`: items and their attachments (Vaultwarden's `ciphers.rs`, personal vault only).

- `PUT /ciphers/{id}/delete` moves to the trash, `PUT /ciphers/{id}/restore` brings it back;
  `DELETE /ciphers/{id}` and `POST /ciphers/{id}/delete` delete for good.
- Attachments use the v2 flow (`POST /ciphers/{id}/attachment/v2`, then the upload URL).
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse

from sangsaeng.core.errors import Problem
from sangsaeng.vault import attachments, items, selectors
from sangsaeng.vault.bitwarden.http import actor, base_url, endpoint, json_response, read_object
from sangsaeng.vault.bitwarden.shapes import attachment_json, cipher_json
from sangsaeng.vault.models import Attachment, Cipher


def _cipher_response(request: HttpRequest, cipher: Cipher) -> dict[str, Any]:
    rows = selectors.cipher_rows(account=actor(request), cipher_id=cipher.pk)
    return cipher_json(rows[0], base_url=base_url(request))


def _list(request: HttpRequest) -> HttpResponse:
    root = base_url(request)
    rows = selectors.cipher_rows(account=actor(request))
    return json_response(
        {"data": [cipher_json(r, base_url=root) for r in rows], "object": "list", "continuationToken": None}
    )


def _create(request: HttpRequest) -> HttpResponse:
    cipher = items.cipher_create(actor=actor(request), data=read_object(request))
    return json_response(_cipher_response(request, cipher))


def _create_wrapped(request: HttpRequest) -> HttpResponse:
    """`POST /ciphers/create`: `{cipher, collectionIds}`; collections are for organizations."""
    data = items.lower_keys(read_object(request))
    if data.get("collectionIds"):
        raise Problem(
            code="invalid_field",
            ko="조직 컬렉션은 지원하지 않습니다.",
            en="Organizations are not supported on this server.",
            field="collectionIds",
        )
    cipher = items.cipher_create(actor=actor(request), data=data.get("cipher"))
    return json_response(_cipher_response(request, cipher))


def _get(request: HttpRequest, cipher_id: str) -> HttpResponse:
    cipher = items.access_cipher(actor=actor(request), cipher_id=cipher_id)
    return json_response(_cipher_response(request, cipher))


def _update(request: HttpRequest, cipher_id: str) -> HttpResponse:
    cipher = items.cipher_update(actor=actor(request), cipher_id=cipher_id, data=read_object(request))
    return json_response(_cipher_response(request, cipher))


def _partial(request: HttpRequest, cipher_id: str) -> HttpResponse:
    data = items.lower_keys(read_object(request))
    cipher = items.cipher_partial_update(
        actor=actor(request), cipher_id=cipher_id, folder_id=data.get("folderId"), favorite=data.get("favorite")
    )
    return json_response(_cipher_response(request, cipher))


def _soft_delete(request: HttpRequest, cipher_id: str) -> HttpResponse:
    items.cipher_soft_delete(actor=actor(request), cipher_id=cipher_id)
    return HttpResponse(status=200)


def _restore(request: HttpRequest, cipher_id: str) -> HttpResponse:
    cipher = items.cipher_restore(actor=actor(request), cipher_id=cipher_id)
    return json_response(_cipher_response(request, cipher))


def _delete(request: HttpRequest, cipher_id: str) -> HttpResponse:
    items.cipher_delete(actor=actor(request), cipher_id=cipher_id)
    return HttpResponse(status=200)


def _bulk_ids(request: HttpRequest) -> Any:
    return items.lower_keys(read_object(request)).get("ids")


def _bulk_soft_delete(request: HttpRequest) -> HttpResponse:
    items.ciphers_soft_delete(actor=actor(request), cipher_ids=_bulk_ids(request))
    return HttpResponse(status=200)


def _bulk_delete(request: HttpRequest) -> HttpResponse:
    items.ciphers_delete(actor=actor(request), cipher_ids=_bulk_ids(request))
    return HttpResponse(status=200)


def _bulk_restore(request: HttpRequest) -> HttpResponse:
    restored = {c.pk for c in items.ciphers_restore(actor=actor(request), cipher_ids=_bulk_ids(request))}
    root = base_url(request)
    rows = [r for r in selectors.cipher_rows(account=actor(request)) if r["id"] in restored]
    return json_response(
        {"data": [cipher_json(r, base_url=root) for r in rows], "object": "list", "continuationToken": None}
    )


def _bulk_move(request: HttpRequest) -> HttpResponse:
    data = items.lower_keys(read_object(request))
    items.ciphers_move(actor=actor(request), cipher_ids=data.get("ids"), folder_id=data.get("folderId"))
    return HttpResponse(status=200)


ciphers = endpoint({"GET": _list, "POST": _create, "DELETE": _bulk_delete})
ciphers_delete = endpoint({"PUT": _bulk_soft_delete, "POST": _bulk_delete})
ciphers_restore = endpoint({"PUT": _bulk_restore})
ciphers_move = endpoint({"PUT": _bulk_move, "POST": _bulk_move})
ciphers_create = endpoint({"POST": _create_wrapped})
cipher = endpoint({"GET": _get, "PUT": _update, "POST": _update, "DELETE": _delete})
cipher_details = endpoint({"GET": _get})
cipher_partial = endpoint({"PUT": _partial, "POST": _partial})
cipher_delete = endpoint({"PUT": _soft_delete, "POST": _delete})
cipher_restore = endpoint({"PUT": _restore})


# Attachments -------------------------------------------------------------------------------------


def _attachment_v2(request: HttpRequest, cipher_id: str) -> HttpResponse:
    data = items.lower_keys(read_object(request))
    attachment = attachments.attachment_prepare(
        actor=actor(request),
        cipher_id=cipher_id,
        file_name=data.get("fileName"),
        key=data.get("key"),
        size=data.get("fileSize"),
    )
    cipher_public_id = attachment.cipher.public_id
    return json_response(
        {
            "object": "attachment-fileUpload",
            "attachmentId": str(attachment.public_id),
            "url": f"/ciphers/{cipher_public_id}/attachment/{attachment.public_id}",
            "fileUploadType": 0,
            "cipherResponse": _cipher_response(request, attachment.cipher),
        }
    )


def _attachment_row(attachment: Attachment) -> dict[str, Any]:
    return {
        "public_id": attachment.public_id,
        "cipher__public_id": attachment.cipher.public_id,
        "file_name": attachment.file_name,
        "key": attachment.key,
        "size": attachment.size,
    }


def _attachment_upload(request: HttpRequest, cipher_id: str, attachment_id: str) -> HttpResponse:
    upload = request.FILES.get("data")
    if upload is None:
        raise Problem(
            code="missing_field", ko="파일이 없습니다.", en="The multipart field `data` is missing.", field="data"
        )
    attachments.attachment_upload(
        actor=actor(request), cipher_id=cipher_id, attachment_id=attachment_id, content=upload
    )
    return HttpResponse(status=200)


def _attachment_get(request: HttpRequest, cipher_id: str, attachment_id: str) -> HttpResponse:
    attachment = attachments.access_attachment(actor=actor(request), cipher_id=cipher_id, attachment_id=attachment_id)
    return json_response(attachment_json(_attachment_row(attachment), base_url=base_url(request)))


def _attachment_delete(request: HttpRequest, cipher_id: str, attachment_id: str) -> HttpResponse:
    attachments.attachment_delete(actor=actor(request), cipher_id=cipher_id, attachment_id=attachment_id)
    return HttpResponse(status=200)


def _download(request: HttpRequest, cipher_id: str, attachment_id: str) -> FileResponse:
    attachment = attachments.attachment_for_download(
        cipher_id=cipher_id, attachment_id=attachment_id, token=request.GET.get("token", "")
    )
    return FileResponse(default_storage.open(attachment.storage_name, "rb"), content_type="application/octet-stream")


attachment_v2 = endpoint({"POST": _attachment_v2})
attachment = endpoint({"GET": _attachment_get, "POST": _attachment_upload, "DELETE": _attachment_delete})
attachment_delete = endpoint({"POST": _attachment_delete})
attachment_download = endpoint({"GET": _download}, auth=False)
