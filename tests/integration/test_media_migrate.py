"""`litestar media migrate --to s3://…`: local media copied to the S3 server, verified, resumable
and idempotent; the app then serves the same tracks from the object store."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from PIL import Image

from app.cli import SoundstackCLI
from app.value_added.media import MediaWorker
from app.value_added.registry import build_services
from tests.conftest import S3_ACCESS_KEY, S3_BUCKET, S3_REGION, S3_SECRET_KEY, MediaStore, s3_client
from tests.integration.test_media_pipeline import SECRET, audio, owner, upload

pytestmark = pytest.mark.usefixtures("s3_endpoint")


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buf, "PNG")
    return buf.getvalue()


async def _migrate(env: dict[str, str], to: str) -> tuple[int, str, str]:
    group = click.Group("litestar")
    SoundstackCLI().on_cli_init(group)
    result = await asyncio.to_thread(
        CliRunner().invoke, group, ["media", "migrate", "--to", to], env=env
    )
    return result.exit_code, result.stdout, result.stderr


async def test_migrate_copies_verifies_resumes_and_the_app_serves_from_s3(
    sqlite_url: str, tmp_path: Path, s3_endpoint: str
) -> None:
    local = MediaStore("local", tmp_path / "media", None)
    s = build_services(sqlite_url, SECRET, media=local.config())
    try:
        me = await owner(s)
        track_id = await upload(s, me, audio(3))
        assert await MediaWorker(s.media).run_until_idle() == 1
        await s.creator.set_track_artwork(me, track_id, _png())
    finally:
        await s.close()
    stored = local.keys()
    assert len(stored) > 10  # original, renditions, segments, waveform, artwork variants

    remote = MediaStore("s3", tmp_path / "media", s3_endpoint)
    env = {
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": SECRET,
        "MEDIA_DIR": str(tmp_path / "media"),
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_REGION": S3_REGION,
        "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
    }
    code, out, err = await _migrate(env, remote.url or "")
    assert code == 0, err
    assert f"copied {len(stored)} object(s)" in out and "0 failed" in out
    assert remote.keys() == stored

    code, out, _ = await _migrate(env, remote.url or "")  # idempotent
    assert code == 0 and f"copied 0 object(s) (0 bytes), {len(stored)} already there" in out

    # resumable: an interrupted run left one object missing and one half-written
    s3 = s3_client(s3_endpoint)
    s3.delete_object(Bucket=S3_BUCKET, Key=f"{remote.prefix}/{stored[0]}")
    size = (tmp_path / "media" / "objects" / stored[1][:2] / f"{stored[1]}.obj").stat().st_size
    s3.put_object(Bucket=S3_BUCKET, Key=f"{remote.prefix}/{stored[1]}", Body=b"\0" * size)
    code, out, _ = await _migrate(env, remote.url or "")
    assert code == 0 and "copied 2 object(s)" in out and f"{len(stored) - 2} already" in out

    # the app on the object store serves what the local store held
    served = build_services(sqlite_url, SECRET, media=remote.config())
    try:
        grants = await served.tracks.streams(me, track_id)
        for grant in grants:
            signed = await served.tracks.authorize_media(grant.url.split("/")[3])
            local_copy = local.media_dir / "objects" / signed.key[:2] / f"{signed.key}.obj"
            assert await served.media.storage.read(signed.key) == local_copy.read_bytes()
    finally:
        await served.close()

    code, _, err = await _migrate(env, "s3://Not_A_Bucket")
    assert code == 1 and err.startswith("error: ") and "bucket" in err
