"""The storage port's contract, met by both adapters: the local filesystem and S3 (a real S3
protocol server, moto, spoken to over HTTP by the real client library)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.foundation.media.storage import (
    ObjectTooLarge,
    S3Location,
    S3Options,
    S3Storage,
    Storage,
    StorageError,
    StorageUnavailable,
    etag_of_file,
    new_key,
    open_storage,
)
from tests.conftest import S3_BUCKET, MediaStore, s3_client, unreachable_s3
from tests.integration.test_media_audio import chunks_of

PART = 5 * 1024 * 1024  # S3's smallest part: multipart uploads with few bytes


@pytest.fixture
async def storage(media_store: MediaStore) -> AsyncIterator[Storage]:
    config = media_store.config()
    found = open_storage(config.storage_url, config.media_dir, config.s3)
    if isinstance(found, S3Storage):
        found.part_size = PART
    yield found
    await found.close()


async def _collect(chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([c async for c in chunks])


async def test_put_open_ranges_stat_and_read(storage: Storage, media_store: MediaStore) -> None:
    data = os.urandom(PART * 2 + 12345)  # three parts on S3
    key = await storage.put(chunks_of(data, 64 * 1024))
    assert await storage.exists(key) and await storage.size(key) == len(data)
    stat = await storage.stat(key)
    assert stat.size == len(data) and stat.modified_at.tzinfo is not None
    assert abs(stat.modified_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert await _collect(storage.open(key)) == data
    assert await _collect(storage.open(key, 10, 19)) == data[10:20]
    assert await _collect(storage.open(key, len(data) - 5)) == data[-5:]
    assert await storage.read(key) == data
    if media_store.kind == "s3":
        path = media_store.media_dir.parent / "copy"
        path.write_bytes(data)
        assert stat.etag == etag_of_file(path, PART) and stat.etag.endswith("-3")


async def test_put_file_is_consumed_and_children_go_with_their_parent(
    storage: Storage, media_store: MediaStore, tmp_path: Path
) -> None:
    source = tmp_path / "upload.bin"
    source.write_bytes(b"x" * 1000)
    key = await storage.put_file(source)
    assert not source.exists()
    for n in range(3):
        await storage.put(chunks_of(f"segment {n}".encode()), f"{key}/{n:x}")
    other = await storage.put(chunks_of(b"unrelated"))
    assert await storage.read(f"{key}/2") == b"segment 2"
    assert len(media_store.keys()) == 5
    await storage.delete(key)
    await storage.delete(key)  # deleting again (or anything missing) is no error
    assert media_store.keys() == [other]
    with pytest.raises(StorageError):
        await storage.stat(key)
    with pytest.raises(StorageError):
        await _collect(storage.open(f"{key}/0"))


async def test_copies_bring_their_children_and_outlive_the_source(storage: Storage) -> None:
    parent, children_only = await storage.put(chunks_of(b"playlist")), new_key()
    for n in range(2):
        await storage.put(chunks_of(f"segment {n}".encode()), f"{parent}/{n:x}")
        await storage.put(chunks_of(f"variant {n}".encode()), f"{children_only}/{n}")
    copy, other = new_key(), new_key()
    await storage.copy_many([(parent, copy), (children_only, other)])
    await storage.delete(parent)
    await storage.delete(children_only)
    assert await storage.read(copy) == b"playlist"
    assert await storage.read(f"{copy}/1") == b"segment 1"
    assert await storage.read(f"{other}/0") == b"variant 0"
    with pytest.raises(StorageError):
        await storage.copy_many([(parent, new_key())])  # nothing left to copy


async def test_too_large_streams_and_bad_keys_store_nothing(
    storage: Storage, media_store: MediaStore
) -> None:
    with pytest.raises(ObjectTooLarge):
        await storage.put(chunks_of(b"y" * (PART * 2), 256 * 1024), max_bytes=PART + 1)
    assert media_store.keys() == []
    if media_store.kind == "s3":  # the multipart upload was aborted, not left to bill
        assert (
            s3_client(media_store.endpoint or "")
            .list_multipart_uploads(Bucket=S3_BUCKET)
            .get("Uploads", [])
            == []
        )
    for bad in ("../etc/passwd", "ABC", new_key() + "/../x", new_key() + "/1/2"):
        with pytest.raises(StorageError):
            await storage.stat(bad)
        with pytest.raises(StorageError):
            await storage.put(chunks_of(b"z"), bad)


async def test_presigned_urls_only_where_the_store_serves_them(
    storage: Storage, media_store: MediaStore
) -> None:
    key = await storage.put(chunks_of(b"0123456789"))
    url = await storage.presign(key, dt.timedelta(seconds=30), "audio/mpeg", "attachment")
    if media_store.kind == "local":
        assert url is None  # files are only ever served by the media edge
        return
    assert url is not None
    async with httpx.AsyncClient() as client:
        got = await client.get(url, headers={"Range": "bytes=2-4"})
        assert got.status_code == 206 and got.content == b"234"
        assert got.headers["content-type"] == "audio/mpeg"
        assert got.headers["content-disposition"] == "attachment"
        assert (await client.get(url.split("?")[0])).status_code == 403  # private bucket


def test_s3_locations_are_validated() -> None:
    assert S3Location.parse("s3://media-bucket") == S3Location("media-bucket", "")
    assert S3Location.parse("s3://media-bucket/a/b/") == S3Location("media-bucket", "a/b")
    for bad in ("media-bucket", "s3://UPPER", "s3://ab", "s3://bucket/a//b", "s3://bucket/../x"):
        with pytest.raises(StorageError):
            S3Location.parse(bad)
    assert "secret" not in repr(S3Options(access_key_id="id", secret_access_key="secret"))


async def test_an_unreachable_store_is_unavailable_not_missing(tmp_path: Path) -> None:
    dead = S3Storage(
        S3Location("soundstack-media", "x"),
        unreachable_s3(),
        tmp_path,
    )
    try:
        with pytest.raises(StorageUnavailable):
            await dead.stat(new_key())
        with pytest.raises(StorageUnavailable):
            await dead.delete(new_key())
        with pytest.raises(StorageUnavailable):
            await dead.put(chunks_of(b"data"))
    finally:
        await dead.close()


def test_etag_of_a_file_follows_the_s3_scheme(tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    small.write_bytes(b"abc")
    big.write_bytes(b"a" * 10 + b"b" * 10 + b"c" * 5)
    assert etag_of_file(small, 10) == hashlib.md5(b"abc").hexdigest()
    parts = b"".join(hashlib.md5(p).digest() for p in (b"a" * 10, b"b" * 10, b"c" * 5))
    assert etag_of_file(big, 10) == f"{hashlib.md5(parts).hexdigest()}-3"
