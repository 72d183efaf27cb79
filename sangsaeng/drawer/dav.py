"""WebDAV at /dav/: WsgiDAV over the signed-in user's Drawer.

WsgiDAV owns the protocol (PROPFIND, LOCK, COPY/MOVE, If headers); this module maps its resource
model onto Drawer folders and items. Each user sees only their own Drawer: the resource tree is
built from the user the domain controller authenticated, and the keys WsgiDAV stores locks and
dead properties under are prefixed with that user's public id, so two users' "/a.jpg" never share
a lock. Files written over WebDAV become items like any other upload (deduplicated, processed);
DELETE moves them to the trash, restorable for 30 days. A PUT over quota is a 413.

Locks and dead properties live in a table (dav_state.py), so every web worker process sees them.
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone
from wsgidav import util
from wsgidav.dav_error import (
    HTTP_BAD_REQUEST,
    HTTP_FORBIDDEN,
    HTTP_REQUEST_ENTITY_TOO_LARGE,
    DAVError,
)
from wsgidav.dav_provider import DAVCollection, DAVNonCollection, DAVProvider
from wsgidav.dc.base_dc import BaseDomainController

from sangsaeng.accounts.selectors import User
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem
from sangsaeng.drawer import app_passwords, services
from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.changes import items_changed
from sangsaeng.drawer.models import Folder, Item
from sangsaeng.drawer.storage import scratch_dir

USER_KEY = "drawer.user"


def _user(environ: dict[str, Any]) -> User:
    user = environ.get(USER_KEY)
    if not isinstance(user, User):
        raise DAVError(HTTP_FORBIDDEN)
    return user


def _split(path: str) -> tuple[str, str]:
    """A DAV path "/a/b/c.jpg" as (folder "a/b", name "c.jpg"), with every segment checked."""
    parts = [p for p in path.strip("/").split("/") if p]
    try:
        cleaned = [services.name_clean(p) for p in parts]
    except Problem as exc:
        raise DAVError(HTTP_BAD_REQUEST, "bad name") from exc
    if not cleaned:
        return "", ""
    return "/".join(cleaned[:-1]), cleaned[-1]


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


class BlobReader(io.RawIOBase):
    """A seekable file over an encrypted blob, reading only the segments asked for."""

    def __init__(self, item: Item) -> None:
        self.blob = item.blob
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: self.blob.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def read(self, size: int | None = -1) -> bytes:
        end = self.blob.size if size is None or size < 0 else min(self.blob.size, self.pos + size)
        if self.pos >= end:
            return b""
        data = blob_read(self.blob, self.pos, end)
        self.pos = end
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Namespaced:
    """Lock and property keys carry the user's id, so users never see each other's."""

    path: str
    environ: dict[str, Any]
    provider: Any

    def get_ref_url(self) -> str:
        return quote(f"/{_user(self.environ).public_id}" + self.get_preferred_path())  # type: ignore[attr-defined]


class DrawerFile(_Namespaced, DAVNonCollection):
    def __init__(self, path: str, environ: dict[str, Any], item: Item) -> None:
        super().__init__(path, environ)
        self.item = item
        self._upload: Any = None
        self._upload_path: Path | None = None
        self._content_type = ""
        # set when this PUT created the (empty) item, so a refused or broken PUT leaves nothing
        self.fresh = False

    def get_content_length(self) -> int:
        return self.item.size

    def get_content_type(self) -> str:
        return self.item.content_type or "application/octet-stream"

    def get_creation_date(self) -> float:
        return self.item.created_at.timestamp()

    def get_display_name(self) -> str:
        return self.item.name

    def get_etag(self) -> str:
        return f"{self.item.blob.sha256[:40]}-{self.item.size}"

    def get_last_modified(self) -> float:
        return self.item.updated_at.timestamp()

    def support_etag(self) -> bool:
        return True

    def support_ranges(self) -> bool:
        return True

    def get_content(self) -> io.BufferedReader:
        return io.BufferedReader(BlobReader(self.item), buffer_size=1 << 20)

    def begin_write(self, *, content_type: str | None = None) -> Any:
        declared = self.environ.get("CONTENT_LENGTH")
        if declared and declared.isdigit():
            try:
                services.quota_check(owner=_user(self.environ), adding=int(declared))
            except Problem as exc:
                self._drop_fresh()
                raise DAVError(HTTP_REQUEST_ENTITY_TOO_LARGE, exc.en) from exc
        fd, name = tempfile.mkstemp(dir=scratch_dir(), suffix=".dav")
        self._upload = os.fdopen(fd, "w+b")
        self._upload_path = Path(name)
        self._content_type = content_type or ""
        return self._upload

    def _drop_fresh(self) -> None:
        if self.fresh:
            services.item_purge(item=self.item)
            self.fresh = False

    def end_write(self, *, with_errors: bool) -> None:
        try:
            if with_errors or self._upload_path is None:
                self._drop_fresh()
            else:
                self.item = services.item_create(
                    owner=_user(self.environ),
                    path=self._upload_path,
                    name=self.item.name,
                    folder=self.item.folder,
                    content_type=self._content_type if self._content_type != "application/octet-stream" else "",
                    replace=True,
                    source="webdav",
                )
        except Problem as exc:
            self._drop_fresh()
            raise DAVError(HTTP_REQUEST_ENTITY_TOO_LARGE if exc.status == 413 else HTTP_BAD_REQUEST, exc.en) from exc
        finally:
            if self._upload_path is not None:
                self._upload_path.unlink(missing_ok=True)

    def delete(self) -> None:
        services.item_trash(actor=_user(self.environ), id=self.item.public_id)
        self.remove_all_properties(recursive=True)
        self.remove_all_locks(recursive=True)

    def _place(self, dest_path: str) -> tuple[str, str]:
        folder, name = _split(dest_path)
        user = _user(self.environ)
        if folder and not Folder.objects.filter(owner=user, path=folder).exists():
            raise DAVError(HTTP_FORBIDDEN)
        # Overwrite: T on an existing file replaces it; the old one goes to the trash.
        Item.objects.filter(owner=user, folder=folder, name=name, trashed_at__isnull=True).exclude(
            pk=self.item.pk
        ).update(trashed_at=timezone.now())
        return folder, name

    def copy_move_single(self, dest_path: str, *, is_move: bool) -> None:
        """A copy points at the same blob: no bytes are stored twice. (WsgiDAV deletes the source
        afterwards when this is part of a MOVE.)"""
        with transaction.atomic():
            folder, name = self._place(dest_path)
            copy = Item.objects.get(pk=self.item.pk)
            copy.pk = None
            copy.id = None
            copy.public_id = uuid.uuid4()
            copy.folder, copy.name = folder, name
            copy.favourite = False
            copy.save()
        self._move_properties(dest_path, is_move=is_move)

    def _move_properties(self, dest_path: str, *, is_move: bool) -> None:
        manager = self.provider.prop_manager
        if manager:
            dest = self.provider.get_resource_inst(dest_path, self.environ)
            if is_move:
                manager.move_properties(
                    self.get_ref_url(), dest.get_ref_url(), with_children=False, environ=self.environ
                )
            else:
                manager.copy_properties(self.get_ref_url(), dest.get_ref_url(), self.environ)

    def support_recursive_move(self, dest_path: str) -> bool:
        return True

    def move_recursive(self, dest_path: str) -> None:
        """A MOVE renames the item: same id, same blob, same renditions."""
        source_ref = self.get_ref_url()
        with transaction.atomic():
            folder, name = self._place(dest_path)
            self.item.folder, self.item.name = folder, name
            self.item.save(update_fields=["folder", "name", "updated_at"])
            items_changed(owner=self.item.owner, item_ids=[self.item.public_id])
        manager = self.provider.prop_manager
        if manager:
            dest = self.provider.get_resource_inst(dest_path, self.environ)
            manager.move_properties(source_ref, dest.get_ref_url(), with_children=False, environ=self.environ)


class DrawerFolder(_Namespaced, DAVCollection):
    def __init__(self, path: str, environ: dict[str, Any], folder: Folder | None) -> None:
        super().__init__(path, environ)
        self.folder = folder
        self.key = folder.path if folder else ""

    def get_display_name(self) -> str:
        return self.key.rsplit("/", 1)[-1] if self.key else "Drawer"

    def get_creation_date(self) -> float | None:
        return self.folder.created_at.timestamp() if self.folder else None

    def get_last_modified(self) -> float | None:
        return self.folder.updated_at.timestamp() if self.folder else None

    def get_used_bytes(self) -> int:
        return services.drawer_usage(owner=_user(self.environ))

    def get_available_bytes(self) -> int:
        return max(0, services.quota_limit(owner=_user(self.environ)) - self.get_used_bytes())

    def _children(self) -> tuple[list[Folder], list[Item]]:
        user = _user(self.environ)
        prefix = f"{self.key}/" if self.key else ""
        folders = [
            f
            for f in Folder.objects.filter(owner=user, path__startswith=prefix).order_by("path")
            if "/" not in f.path[len(prefix) :] and f.path != self.key
        ]
        items = list(
            Item.objects.select_related("blob")
            .filter(owner=user, folder=self.key, trashed_at__isnull=True)
            .order_by("name")
        )
        return folders, items

    def get_member_names(self) -> list[str]:
        folders, items = self._children()
        return [f.path.rsplit("/", 1)[-1] for f in folders] + [i.name for i in items]

    def get_member_list(self) -> list[Any]:
        folders, items = self._children()
        base = self.path.rstrip("/")
        members: list[Any] = [DrawerFolder(f"{base}/{f.path.rsplit('/', 1)[-1]}", self.environ, f) for f in folders]
        members += [DrawerFile(f"{base}/{i.name}", self.environ, i) for i in items]
        return members

    def get_member(self, name: str) -> Any:
        return self.provider.get_resource_inst(util.join_uri(self.path, name), self.environ)

    def create_empty_resource(self, name: str) -> DrawerFile:
        folder, clean = _split(util.join_uri(self.path, name))
        try:
            item = services.file_save_from(
                owner=_user(self.environ), name=clean, data=b"", folder=folder, source="webdav"
            )
        except Problem as exc:
            raise DAVError(HTTP_REQUEST_ENTITY_TOO_LARGE if exc.status == 413 else HTTP_BAD_REQUEST, exc.en) from exc
        resource = DrawerFile(util.join_uri(self.path, name), self.environ, item)
        resource.fresh = True
        return resource

    def create_collection(self, name: str) -> None:
        folder, clean = _split(util.join_uri(self.path, name))
        services.folder_ensure(owner=_user(self.environ), folder=_join(folder, clean))

    def delete(self) -> None:
        services.folder_delete(owner=_user(self.environ), folder=self.key)
        self.remove_all_properties(recursive=True)
        self.remove_all_locks(recursive=True)

    def copy_move_single(self, dest_path: str, *, is_move: bool) -> None:
        folder, name = _split(dest_path)
        services.folder_ensure(owner=_user(self.environ), folder=_join(folder, name))
        manager = self.provider.prop_manager
        if manager:
            dest = self.provider.get_resource_inst(dest_path, self.environ)
            if is_move:
                manager.move_properties(
                    self.get_ref_url(), dest.get_ref_url(), with_children=False, environ=self.environ
                )
            else:
                manager.copy_properties(self.get_ref_url(), dest.get_ref_url(), self.environ)

    def support_recursive_move(self, dest_path: str) -> bool:
        return True

    def move_recursive(self, dest_path: str) -> None:
        folder, name = _split(dest_path)
        source_ref = self.get_ref_url()
        services.folder_move(owner=_user(self.environ), source=self.key, target=_join(folder, name))
        manager = self.provider.prop_manager
        if manager:
            dest = self.provider.get_resource_inst(dest_path, self.environ)
            manager.move_properties(source_ref, dest.get_ref_url(), with_children=True, environ=self.environ)


class DrawerProvider(DAVProvider):
    def get_resource_inst(self, path: str | None, environ: dict[str, Any]) -> Any:
        self._count_get_resource_inst += 1
        if path is None:
            # WsgiDAV asks for the root's parent (PUT, MOVE or COPY of /dav/, /dav/. or /dav/..): there is none
            return None
        user = _user(environ)
        folder, name = _split(path)
        if not name:
            return DrawerFolder("/", environ, None)
        full = _join(folder, name)
        found = Folder.objects.filter(owner=user, path=full).first()
        if found is not None:
            return DrawerFolder(path, environ, found)
        item = (
            Item.objects.select_related("blob")
            .filter(owner=user, folder=folder, name=name, trashed_at__isnull=True)
            .first()
        )
        return DrawerFile(path, environ, item) if item is not None else None

    def ref_url_to_path(self, ref_url: str) -> str:
        # strip the "/<user id>" prefix that _Namespaced.get_ref_url adds
        rest = ref_url.lstrip("/").split("/", 1)
        return super().ref_url_to_path("/" + (rest[1] if len(rest) > 1 else ""))


class DrawerDomainController(BaseDomainController):
    """Basic auth by e-mail and a per-device app password; no anonymous access, no digest."""

    def __init__(self, wsgidav_app: Any, config: dict[str, Any]) -> None:
        super().__init__(wsgidav_app, config)

    def get_domain_realm(self, path_info: str, environ: dict[str, Any]) -> str:
        return "sangsaeng Drawer"

    def require_authentication(self, realm: str, environ: dict[str, Any]) -> bool:
        return True

    def basic_auth_user(self, realm: str, user_name: str, password: str, environ: dict[str, Any]) -> bool:
        ip = environ.get("REMOTE_ADDR", "")
        try:
            ratelimit.check(
                scope=app_passwords.BAD_PASSWORD_SCOPE,
                key=ip,
                limit=app_passwords.BAD_PASSWORD_LIMIT,
                window=app_passwords.BAD_PASSWORD_WINDOW,
            )
        except ratelimit.RateLimited:
            return False
        user = app_passwords.app_password_authenticate(email=user_name, secret=password)
        if user is None:
            ratelimit.hit(scope=app_passwords.BAD_PASSWORD_SCOPE, key=ip, window=app_passwords.BAD_PASSWORD_WINDOW)
            return False
        environ[USER_KEY] = user
        return True

    def supports_http_digest_auth(self) -> bool:
        return False

    def digest_auth_user(self, realm: str, user_name: str, environ: dict[str, Any]) -> bool:
        return False
