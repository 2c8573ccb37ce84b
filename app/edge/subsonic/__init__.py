"""The Subsonic BFF: the Subsonic/OpenSubsonic API at /rest, for the music players people use.

Built on the value-added services and the kit only: every read goes through the VAS with the
caller as Viewer, so a hidden track (private, unreleased, taken down) is absent from every list
and `getSong`/`stream`/`download` of it is error 70, like a missing one.

Mapping: artists are users owning tracks the caller may see; releases are albums (sets of type
album) and, per artist, their *singles* (their tracks on no album of theirs); songs are tracks;
playlists are the other sets; star = like (songs, albums) or follow (artists); scrobble and
reportPlayback count plays; genres come from tracks; cover art from artwork and avatars.

Ids are strings with a kind prefix, stable while the entity exists: `tr-<track id>`,
`al-<playlist id>` (an album), `al-s-<user id>` (that artist's singles: the id depends only on
the artist, so it never changes as singles come and go), `ar-<user id>`, `pl-<playlist id>`.
A track moving onto an album changes its `albumId`, nothing else.
"""

from app.edge.subsonic.spec import spec

__all__ = ["spec"]
