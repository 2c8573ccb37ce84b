"""The Web API's external shapes as msgspec Structs, so that its OpenAPI document is generated
from what the handlers answer: entities (`users`, `tracks`, `playlists`), whose fields a `fields=`
mask may leave out (UNSET: absent from the JSON), and pages (`pages`)."""
