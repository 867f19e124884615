"""Private file storage and the response that hands a private file out."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.http import Http404

from htxso.core.files import (
    PrivateFileSystemStorage,
    UnguessableName,
    private_file_response,
    private_storage,
)


@pytest.fixture(autouse=True)
def _roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.HTXSO_PRIVATE_FILES_ACCEL = ""


def test_private_storage_has_no_url_and_follows_the_setting(settings, tmp_path):
    storage = private_storage()
    name = storage.save("imports/a.xlsx", ContentFile(b"data"))
    assert Path(storage.path(name)).is_relative_to(tmp_path / "private")
    with pytest.raises(ValueError):
        storage.url(name)


def test_private_root_inside_a_public_root_is_refused(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    with pytest.raises(ImproperlyConfigured):
        PrivateFileSystemStorage().save("a.txt", ContentFile(b"x"))


def test_unguessable_names_drop_the_uploaded_name():
    upload_to = UnguessableName("imports/%Y/")
    first, second = upload_to(None, "Danh sách CCCD.XLSX"), upload_to(None, "x.xlsx")
    assert first != second and first.startswith("imports/2") and first.endswith(".xlsx")
    assert "CCCD" not in first
    assert not upload_to(None, "a.php/../../x").endswith("x")
    assert upload_to(None, "noext").count(".") == 0
    assert UnguessableName("a/") == UnguessableName("a/") != UnguessableName("b/")
    assert UnguessableName("a/").deconstruct()[0] == "htxso.core.files.UnguessableName"


def _saved():
    return private_storage().save("imports/reports/r.xlsx", ContentFile(b"PK-report"))


def test_streams_in_development(rf):
    name = _saved()
    response = private_file_response("private", name, "báo cáo.xlsx")
    assert b"".join(response.streaming_content) == b"PK-report"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''b%C3%A1o%20c%C3%A1o.xlsx" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_nginx_mode_sends_only_the_header(settings):
    settings.HTXSO_PRIVATE_FILES_ACCEL = "nginx"
    name = _saved()
    response = private_file_response("private", name, "r.xlsx")
    assert response["X-Accel-Redirect"] == f"/_protected/private/{name}"
    assert response.content == b"" and "X-Sendfile" not in response


def test_sendfile_mode_sends_only_the_path(settings, tmp_path):
    settings.HTXSO_PRIVATE_FILES_ACCEL = "sendfile"
    name = _saved()
    response = private_file_response("private", name, "r.xlsx")
    assert response["X-Sendfile"] == str(tmp_path / "private" / name)
    assert response.content == b""


def test_missing_file_is_404_and_unknown_mode_refused(settings):
    with pytest.raises(Http404):
        private_file_response("private", "imports/none.xlsx", "r.xlsx")
    with pytest.raises(Http404):
        private_file_response("private", "", "r.xlsx")
    settings.HTXSO_PRIVATE_FILES_ACCEL = "apache"
    with pytest.raises(ImproperlyConfigured):
        private_file_response("private", _saved(), "r.xlsx")
