"""Names `make deadcode` (vulture) must not report: fields and columns only used by name.

vulture sees a name as used when any code mentions it. These are declared once and then read
or written only by msgspec (Struct fields encoded or decoded by name) or by SQL (table columns),
so nothing mentions them again. Framework hooks and decorated entry points are ignored by kind
in pyproject.toml ([tool.vulture]). Add a name here only with the reason it is used.
"""

from vulture.whitelist_utils import Whitelist

struct_fields = Whitelist()
"""msgspec Struct fields, filled from rows or dicts, encoded in responses (never read in code)."""
struct_fields.added_at  # foundation.playlists.records.EntryRecord
struct_fields.plays_count  # edge.mobile PlayCount, set by keyword
struct_fields.relation  # edge.mobile user representation (set through a dict of fields)
struct_fields.top_tracks  # edge.mobile user page (set as an attribute, encoded by msgspec)
struct_fields.query_urn  # edge.web Collection, always null (api-v2 sends the key)
struct_fields.private_track  # tests.contract.public_seed.Seed, read by name in JSON
struct_fields.private_secret
struct_fields.error_description  # edge.kit.oauth_forms.OAuthErrorBody: documents a dict body

subsonic_fields = Whitelist()
"""Subsonic response fields (edge.subsonic.representations.models): set by keyword in the BFF's
mappers, or left at their default, and encoded by msgspec under their camelCase names."""
subsonic_fields.admin_role
subsonic_fields.artist_id
subsonic_fields.biography
subsonic_fields.comment_role
subsonic_fields.cover_art
subsonic_fields.cover_art_role
subsonic_fields.display_artist
subsonic_fields.download_role
subsonic_fields.ignored_articles
subsonic_fields.is_video
subsonic_fields.jukebox_role
subsonic_fields.large_image_url
subsonic_fields.last_modified
subsonic_fields.medium_image_url
subsonic_fields.music_folder
subsonic_fields.playlist_role
subsonic_fields.podcast_role
subsonic_fields.readonly
subsonic_fields.release_types
subsonic_fields.scrobbling_enabled
subsonic_fields.settings_role
subsonic_fields.share_role
subsonic_fields.small_image_url
subsonic_fields.sort_name
subsonic_fields.transcoded_content_type
subsonic_fields.transcoded_suffix
subsonic_fields.upload_role
subsonic_fields.versions
subsonic_fields.video_conversion_role

table_columns = Whitelist()
"""SQLAlchemy mapped columns only used through the table metadata (migrations, SQL)."""
table_columns.follower_id
table_columns.followee_id

openapi_fields = Whitelist()
"""Litestar OpenAPI spec dataclass fields set by an `operation_class` (read by the renderer)."""
openapi_fields.request_body  # edge.kit.openapi.described

configured_by_name = Whitelist()
"""Callables named in configuration files (deploy/granian-logging.json's formatter factory)."""
configured_by_name.server_formatter

public_fields = Whitelist()
"""SoundCloud's representations (edge.public.representations): fields set by keyword or as an
attribute in the BFF's mappers and encoded by msgspec (never read in code)."""
public_fields.available_country_codes
public_fields.comments_count
public_fields.download_count
public_fields.download_url
public_fields.embeddable_by
public_fields.favoritings_count
public_fields.hls_aac_160_url
public_fields.hls_mp3_128_url
public_fields.http_aac_160_url
public_fields.http_mp3_128_url
public_fields.image_url
public_fields.link_title
public_fields.locale
public_fields.online
public_fields.playback_count
public_fields.playlist_likes_count
public_fields.playlist_type
public_fields.preview_mp3_128_url
public_fields.price
public_fields.primary_email_confirmed
public_fields.private_playlists_count
public_fields.private_tracks_count
public_fields.public_favorites_count
public_fields.release_day
public_fields.release_month
public_fields.reveal_comments
public_fields.reveal_stats
public_fields.secret_uri
public_fields.tracks_uri
public_fields.unlimited_upload_quota
public_fields.upload_seconds_left
public_fields.upload_seconds_used
public_fields.user_favorite
public_fields.user_reposted

web_fields = Whitelist()
"""api-v2 fields (edge.web.representations): built positionally by the field tables of
edge.web.mappers (which name them as strings), or by keyword, and encoded by msgspec."""
web_fields.badges
web_fields.caption
web_fields.comments_count
web_fields.country_code
web_fields.creator_subscription
web_fields.creator_subscriptions
web_fields.display_date
web_fields.download_count
web_fields.embeddable_by
web_fields.full_duration
web_fields.groups_count
web_fields.has_downloads_left
web_fields.licence
web_fields.managed_by_feeds
web_fields.playback_count
web_fields.playlist_likes_count
web_fields.private_playlists_count
web_fields.private_tracks_count
web_fields.pro
web_fields.pro_unlimited
web_fields.published_at
web_fields.self_
web_fields.station_permalink
web_fields.station_urn
web_fields.target_urn
web_fields.track_authorization
web_fields.user_liked
web_fields.user_reposted
web_fields.visuals
