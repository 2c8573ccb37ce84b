"""The S3-compatible object-storage adapter of the storage port (`MEDIA_STORAGE_URL=s3://…`).

Client library: aiobotocore (typed by types-aiobotocore[s3]), compared with obstore:

- maturity: aiobotocore wraps botocore, the AWS SDK's own core, and is one of the most used
  Python packages, run against MinIO, Ceph, R2, B2 and the like by many; obstore (Rust
  `object_store` underneath) is younger and still 0.x, its Python API changing between minors.
- multipart streaming upload: aiobotocore exposes the S3 calls themselves (create, upload part,
  complete, abort), so the part size and parts in flight — hence the memory one upload can
  take — are ours: one PART_SIZE part at a time here. obstore does multipart for us, buffering
  up to `max_concurrency` (default 12) parts of 5 MB.
- presigning: both (botocore's SigV4 query signer here, no network round trip).
- range GETs: both (a Range header on GetObject, the body streamed in chunks).
- typing: obstore ships stubs; aiobotocore's come from types-aiobotocore[s3], generated from the
  service model, so every request parameter and response key is checked by mypy --strict.
- install weight: obstore is one ~5 MB wheel without dependencies; aiobotocore brings botocore
  (~14 MB of service models), aiohttp and a few small packages, and botocore pins
  python-dateutil below 3. The test server (moto) needs botocore anyway.

The bucket stays private: objects are written without ACLs and read through this client or
through short-lived presigned URLs (`presign`). Keys are `<prefix>/<key>`; a key's children
(`<key>/<n>`) share its prefix, so deleting a key lists and deletes them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import msgspec
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from app.caching.provenance import note_outside_read
from app.foundation.media.storage.base import (
    CHUNK,
    ObjectStat,
    ObjectTooLarge,
    StorageError,
    StorageUnavailable,
    check_key,
    new_key,
)

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.type_defs import CompletedPartTypeDef, ObjectIdentifierTypeDef

PART_SIZE = 8 * 1024 * 1024
"""Multipart part size (S3's minimum is 5 MiB): the most one upload holds in memory."""
MAX_CONNECTIONS = 64
"""Connections to the store per process (proxied delivery streams one per request)."""
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})
_MD5_ETAG = re.compile(r"^[0-9a-f]{32}(-[0-9]+)?$")


class S3Options(msgspec.Struct, frozen=True, kw_only=True):
    """How to reach the store (unset values: botocore's defaults and credential chain)."""

    endpoint_url: str | None = None
    """AWS_ENDPOINT_URL: MinIO, Ceph, R2 … (path-style addressing is used with it)."""
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    max_attempts: int = 3
    connect_timeout: float = 5.0
    read_timeout: float = 60.0

    def __repr__(self) -> str:  # never print the secret
        return f"S3Options(endpoint_url={self.endpoint_url!r}, region={self.region!r})"


class S3Location(msgspec.Struct, frozen=True):
    bucket: str
    prefix: str
    """Without leading or trailing slashes; "" for the bucket's root."""

    @classmethod
    def parse(cls, url: str) -> S3Location:
        """`s3://bucket` or `s3://bucket/some/prefix`; StorageError naming what is wrong."""
        if not url.startswith("s3://"):
            raise StorageError(f"an S3 location starts with s3://; got {url!r}")
        bucket, _, prefix = url[5:].partition("/")
        if not _BUCKET.match(bucket):
            raise StorageError(f"{bucket!r} is not a valid S3 bucket name")
        prefix = prefix.strip("/")
        if any(part in ("", ".", "..") for part in prefix.split("/")) and prefix:
            raise StorageError(f"the S3 prefix {prefix!r} has an empty or relative part")
        return cls(bucket, prefix)

    def name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def _translated(key: str) -> Iterator[None]:
    """Store errors as the port's: a missing object is StorageError, anything else (refused,
    unreachable, timed out) StorageUnavailable."""
    try:
        yield
    except ClientError as exc:
        if _code(exc) in _MISSING:
            raise StorageError(f"no object {key!r}") from exc
        raise StorageUnavailable(f"the object store refused the request ({_code(exc)})") from exc
    except (BotoCoreError, aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise StorageUnavailable(f"the object store is unreachable ({type(exc).__name__})") from exc


async def _file_chunks(path: Path, size: int) -> AsyncIterator[bytes]:
    with path.open("rb") as f:
        while data := await asyncio.to_thread(f.read, size):
            yield data


def etag_of_file(path: Path, part_size: int = PART_SIZE) -> str:
    """The ETag S3 gives `path` stored by this adapter: the MD5 of a single-request object, or
    the MD5 of the parts' MD5s and the part count of a multipart one (CPU and disk: a thread)."""
    digests = []
    with path.open("rb") as f:
        while data := f.read(part_size):
            digests.append(hashlib.md5(data, usedforsecurity=False).digest())
    if len(digests) <= 1:
        return (digests[0] if digests else hashlib.md5(b"", usedforsecurity=False).digest()).hex()
    combined = hashlib.md5(b"".join(digests), usedforsecurity=False).hexdigest()
    return f"{combined}-{len(digests)}"


def is_md5_etag(etag: str) -> bool:
    """Does the store's ETag follow the MD5 scheme (not so with e.g. SSE-KMS encryption)?"""
    return bool(_MD5_ETAG.match(etag))


class _Multipart:
    """One multipart upload in progress: parts are sent one at a time, in order."""

    def __init__(self, s3: S3Client, bucket: str, name: str, upload_id: str) -> None:
        self._s3, self._bucket, self._name, self._id = s3, bucket, name, upload_id
        self._parts: list[CompletedPartTypeDef] = []

    async def send(self, data: bytes) -> None:
        number = len(self._parts) + 1
        sent = await self._s3.upload_part(
            Bucket=self._bucket, Key=self._name, UploadId=self._id, PartNumber=number, Body=data
        )
        self._parts.append({"ETag": sent["ETag"], "PartNumber": number})

    async def finish(self) -> None:
        await self._s3.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._name,
            UploadId=self._id,
            MultipartUpload={"Parts": self._parts},
        )

    async def abort(self) -> None:
        with contextlib.suppress(ClientError, BotoCoreError, aiohttp.ClientError, OSError):
            await self._s3.abort_multipart_upload(
                Bucket=self._bucket, Key=self._name, UploadId=self._id
            )


class S3Storage:
    """Objects in one bucket under one prefix. The client is opened on first use, in the event
    loop that uses it, and closed by `close()`."""

    def __init__(
        self,
        location: S3Location,
        options: S3Options,
        scratch_root: str | Path,
        part_size: int = PART_SIZE,
    ) -> None:
        self.location = location
        self.part_size = part_size
        self._options = options
        self._scratch_root = Path(scratch_root)
        self._stack: contextlib.AsyncExitStack | None = None
        self._client: S3Client | None = None
        self._opening: asyncio.Lock | None = None

    def describe(self) -> str:
        return str(self.location)

    async def _s3(self) -> S3Client:
        if self._client is not None:
            return self._client
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._client is None:
                self._client = await self._open()
        return self._client

    async def _open(self) -> S3Client:
        o = self._options
        config = AioConfig(
            signature_version="s3v4",
            s3={"addressing_style": "path" if o.endpoint_url else "auto"},
            retries={"max_attempts": o.max_attempts, "mode": "standard"},
            connect_timeout=o.connect_timeout,
            read_timeout=o.read_timeout,
            max_pool_connections=MAX_CONNECTIONS,
        )
        stack = contextlib.AsyncExitStack()
        client = await stack.enter_async_context(
            get_session().create_client(
                "s3",
                region_name=o.region,
                endpoint_url=o.endpoint_url,
                aws_access_key_id=o.access_key_id,
                aws_secret_access_key=o.secret_access_key,
                config=config,
            )
        )
        self._stack = stack
        return client

    async def close(self) -> None:
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            await stack.aclose()

    def scratch_dir(self) -> Path:
        path = self._scratch_root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def local_path(self, key: str) -> Path | None:
        return None

    # ------------------------------------------------------------------ writes

    async def put(
        self, chunks: AsyncIterable[bytes], key: str | None = None, max_bytes: int | None = None
    ) -> str:
        """Up to one part is buffered: a stream of at most PART_SIZE bytes is one PUT, a longer
        one a multipart upload of PART_SIZE parts (aborted on any failure: nothing half-stored)."""
        key = check_key(key or new_key())
        s3, bucket, name = await self._s3(), self.location.bucket, self.location.name(key)
        buffer, written = bytearray(), 0
        upload: _Multipart | None = None
        try:
            with _translated(key):
                async for chunk in chunks:
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise ObjectTooLarge(f"more than {max_bytes} bytes")
                    buffer += chunk
                    while len(buffer) > self.part_size:
                        if upload is None:
                            started = await s3.create_multipart_upload(Bucket=bucket, Key=name)
                            upload = _Multipart(s3, bucket, name, started["UploadId"])
                        with memoryview(buffer) as view:
                            part = bytes(view[: self.part_size])  # (one copy, not two)
                        del buffer[: self.part_size]
                        await upload.send(part)
                        del part
                if upload is None:
                    await s3.put_object(Bucket=bucket, Key=name, Body=bytes(buffer))
                else:
                    await upload.send(bytes(buffer))
                    await upload.finish()
        except BaseException:
            if upload is not None:
                await asyncio.shield(upload.abort())
            raise
        return key

    async def put_file(self, path: Path, key: str | None = None) -> str:
        key = await self.put(_file_chunks(path, CHUNK * 4), key)
        await asyncio.to_thread(path.unlink, missing_ok=True)
        return key

    async def delete(self, key: str) -> None:
        check_key(key)
        s3, bucket, name = await self._s3(), self.location.bucket, self.location.name(key)
        with _translated(key):
            await s3.delete_object(Bucket=bucket, Key=name)
            if "/" in key:
                return
            pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{name}/")
            async for page in pages:
                children: list[ObjectIdentifierTypeDef] = [
                    {"Key": o["Key"]} for o in page.get("Contents", []) if "Key" in o
                ]
                if not children:
                    continue
                done = await s3.delete_objects(
                    Bucket=bucket,
                    Delete={"Objects": children, "Quiet": True},
                )
                if done.get("Errors"):
                    raise StorageUnavailable(f"the object store kept children of {key!r}")

    async def copy_many(self, pairs: Sequence[tuple[str, str]]) -> None:
        for source, target in pairs:
            check_key(target)
            src, dst = self.location.name(check_key(source)), self.location.name(target)
            names = [] if "/" in source else await self._children_of(source, src)
            try:
                await self._copy(source, src, dst)
            except StorageError:
                if not names:
                    raise
            for name in names:
                await self._copy(source, name, dst + name[len(src) :])

    async def _children_of(self, key: str, name: str) -> list[str]:
        s3 = await self._s3()
        found: list[str] = []
        with _translated(key):
            pages = s3.get_paginator("list_objects_v2").paginate(
                Bucket=self.location.bucket, Prefix=f"{name}/"
            )
            async for page in pages:
                found.extend(o["Key"] for o in page.get("Contents", []) if "Key" in o)
        return found

    async def _copy(self, key: str, name: str, to: str) -> None:
        s3, bucket = await self._s3(), self.location.bucket
        with _translated(key):
            await s3.copy_object(Bucket=bucket, Key=to, CopySource={"Bucket": bucket, "Key": name})

    # ------------------------------------------------------------------ reads

    async def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        note_outside_read()
        check_key(key)
        s3 = await self._s3()
        extra: dict[str, Any] = {}
        if start or end is not None:
            extra["Range"] = f"bytes={start}-{'' if end is None else end}"
        with _translated(key):
            found = await s3.get_object(
                Bucket=self.location.bucket, Key=self.location.name(key), **extra
            )
        body = found["Body"]
        try:
            with _translated(key):
                async for chunk in body.iter_chunks(CHUNK):
                    yield chunk
        finally:
            body.close()

    async def read(self, key: str) -> bytes:
        note_outside_read()
        check_key(key)
        s3 = await self._s3()
        with _translated(key):
            found = await s3.get_object(Bucket=self.location.bucket, Key=self.location.name(key))
            async with found["Body"] as body:
                return await body.read()

    async def stat(self, key: str) -> ObjectStat:
        note_outside_read()
        check_key(key)
        s3 = await self._s3()
        with _translated(key):
            head = await s3.head_object(Bucket=self.location.bucket, Key=self.location.name(key))
        modified = head["LastModified"].astimezone(dt.UTC).replace(microsecond=0)
        return ObjectStat(head["ContentLength"], modified, head.get("ETag", "").strip('"'))

    async def size(self, key: str) -> int:
        return (await self.stat(key)).size

    async def exists(self, key: str) -> bool:
        try:
            await self.stat(key)
        except StorageError:
            return False
        return True

    async def presign(
        self, key: str, expires_in: dt.timedelta, content_type: str, disposition: str | None = None
    ) -> str | None:
        """A SigV4 presigned GET valid for `expires_in` (at least 1 s); the store answers Range
        and HEAD itself, with the content type (and disposition) given here."""
        check_key(key)
        seconds = max(1, int(expires_in.total_seconds()))
        params: dict[str, Any] = {
            "Bucket": self.location.bucket,
            "Key": self.location.name(key),
            "ResponseContentType": content_type,
            "ResponseCacheControl": f"private, max-age={seconds}",
        }
        if disposition is not None:
            params["ResponseContentDisposition"] = disposition
        s3 = await self._s3()
        return await s3.generate_presigned_url("get_object", Params=params, ExpiresIn=seconds)
