"""Media VAS: storage, upload intake and probing, transcoding jobs, signed delivery, artwork."""

from app.foundation.media.storage import S3Options
from app.value_added.media.artwork import VARIANTS as ARTWORK_SIZES
from app.value_added.media.config import MediaConfig
from app.value_added.media.deletions import queue_track_objects
from app.value_added.media.demo import CLIP_SECONDS as _CLIP_SECONDS
from app.value_added.media.demo import Furnished
from app.value_added.media.formats import RENDITIONS, Rendition
from app.value_added.media.probe import Probe
from app.value_added.media.service import DownloadTarget, MediaService, StoredObject
from app.value_added.media.urls import (
    SignedObject,
    StreamGrant,
    artwork_url,
    download_path,
)
from app.value_added.media.worker import MediaWorker

DEMO_CLIP_MS = _CLIP_SECONDS * 1000
"""How long each demo track's synthesised audio is."""

__all__ = [
    "ARTWORK_SIZES",
    "DEMO_CLIP_MS",
    "RENDITIONS",
    "DownloadTarget",
    "Furnished",
    "MediaConfig",
    "MediaService",
    "MediaWorker",
    "Probe",
    "Rendition",
    "S3Options",
    "SignedObject",
    "StoredObject",
    "StreamGrant",
    "artwork_url",
    "download_path",
    "queue_track_objects",
]
