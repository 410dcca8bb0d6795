"""Documents: only PDF, JPEG or PNG by content, size-limited, stored under a random name,
served only through the claim's scoped view; hostile uploads are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.claims.choices import MAX_DOCUMENT_BYTES
from lindung.claims.models import ClaimDocument
from lindung.claims.services import claim_document_add, document_path
from lindung.common.errors import ApplicationError

from .conftest import JPEG, PDF, PNG, move

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("data", [PDF, JPEG, PNG])
def test_pdf_jpeg_and_png_are_stored_under_a_random_name(jkm_claim, users, data):
    claim = jkm_claim(complete=False)
    document = claim_document_add(
        actor=users["admin"], claim=claim, kind="death_certificate", data=data, filename="akta.pdf"
    )
    assert document.stored_name != "akta.pdf" and "akta" not in document.stored_name
    assert document_path(document).read_bytes() == data
    assert len(document.sha256) == 64


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"MZ\x90\x00 this is a windows program", "akta.pdf", "file_type"),
        (b"<html><script>alert(1)</script></html>", "akta.pdf", "file_type"),
        (b"PK\x03\x04zip", "akta.png", "file_type"),
        (b"", "akta.pdf", "empty"),
        (PDF, "akta\x00.exe.pdf", "filename"),
        (PDF, "\u202eakta.pdf", "filename"),
        (PDF, "a" * 500 + ".pdf", "filename"),
        (PDF, "", "filename"),
        (PDF + b"\0" * MAX_DOCUMENT_BYTES, "big.pdf", "too_large"),
    ],
)
def test_hostile_uploads_are_refused_and_leave_no_file(
    jkm_claim, users, settings, data, filename, code
):
    claim = jkm_claim(complete=False)
    with pytest.raises(ApplicationError) as refused:
        claim_document_add(
            actor=users["admin"],
            claim=claim,
            kind="death_certificate",
            data=data,
            filename=filename,
        )
    assert refused.value.code == code
    assert not ClaimDocument.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "claims"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_kind_off_the_checklist_and_uploads_after_verification_are_refused(jkm_claim, users):
    claim = jkm_claim()
    with pytest.raises(ApplicationError) as kind:
        claim_document_add(
            actor=users["admin"], claim=claim, kind="medical_bills", data=PDF, filename="x.pdf"
        )
    assert kind.value.code == "kind"
    move(users["admin"], claim, "documents_complete")
    move(users["bpjs"], claim, "verified")
    with pytest.raises(ApplicationError) as late:
        claim_document_add(
            actor=users["admin"], claim=claim, kind="other", data=PDF, filename="x.pdf"
        )
    assert late.value.status == 409


def test_upload_page_refuses_a_disguised_file_and_accepts_a_real_one(jkm_claim, users, client_for):
    claim = jkm_claim(complete=False)
    client = client_for(users["admin"])
    fake = SimpleUploadedFile("ktp.jpg", b"GIF89a not a jpeg", content_type="image/jpeg")
    response = client.post(
        f"/klaim/{claim.pk}/dokumen/", {"kind": "heir_ktp", "file": fake}, follow=True
    )
    assert "PDF, JPEG" in response.content.decode()
    assert not claim.documents.exists()
    real = SimpleUploadedFile("ktp.jpg", JPEG, content_type="image/jpeg")
    client.post(f"/klaim/{claim.pk}/dokumen/", {"kind": "heir_ktp", "file": real})
    assert claim.documents.get().content_type == "image/jpeg"


def test_a_document_is_served_only_through_the_scoped_view(jkm_claim, users, client_for):
    claim = jkm_claim()
    document = claim.documents.first()
    url = f"/klaim/{claim.pk}/dokumen/{document.pk}/"
    own = client_for(users["bpjs"]).get(url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    assert own["Content-Disposition"].startswith("attachment;")
    assert own["X-Content-Type-Options"] == "nosniff"
    assert client_for(users["other_admin"]).get(url).status_code == 404
    assert client_for(users["operator"]).get(url).status_code == 403
    # A document of one claim is not reachable under another claim's address.
    other = jkm_claim()
    assert (
        client_for(users["bpjs"]).get(f"/klaim/{other.pk}/dokumen/{document.pk}/").status_code
        == 404
    )


def test_api_upload_checks_content_and_scope(jkm_claim, users, api_for):
    claim = jkm_claim(complete=False)
    url = f"/api/claims/{claim.pk}/documents"
    ok = api_for(users["admin"]).post(
        url, {"kind": "family_card", "file": SimpleUploadedFile("kk.png", PNG)}
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["content_type"] == "image/png"
    bad = api_for(users["admin"]).post(
        url, {"kind": "family_card", "file": SimpleUploadedFile("kk.pdf", b"#!/bin/sh\nrm -rf /")}
    )
    assert bad.status_code == 400 and bad.json()["code"] == "file_type"
    other = api_for(users["other_admin"]).post(
        url, {"kind": "family_card", "file": SimpleUploadedFile("kk.png", PNG)}
    )
    assert other.status_code == 404
    operator = api_for(users["operator"]).post(
        url, {"kind": "family_card", "file": SimpleUploadedFile("kk.png", PNG)}
    )
    assert operator.status_code == 403
