"""The Drawer: phone photos, videos and files.

Where things are:
- `storage.py` local files or S3 (STORAGE_URL); `blobs.py` content-addressed, segment-encrypted blobs.
- `services.py` saving (`item_create`, `file_save_from` for other apps), quotas, trash, albums, folders;
  `selectors.py` the timeline and the bulk checksum check; `sharing.py` share links;
  `app_passwords.py` per-device WebDAV passwords; `erase.py` + `handlers.py` account deletion.
- `tus.py` tus 1.0 at /files/; `dav.py`, `dav_state.py`, `dav_views.py` WebDAV at /dav/ on WsgiDAV.
- `processing.py` (run by `tasks.py`) with `images.py`, `video.py`, `places.py`: EXIF, thumbnails,
  previews, posters, 720p transcodes.
- `views.py`, `share_views.py`, `media.py` (Range) the library pages; `api.py` /api/v1/drawer.
"""
