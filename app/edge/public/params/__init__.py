"""Request inputs of the Public API: SoundCloud ids and URNs (`ids`), query parameters
(`query`) and request bodies in both of SoundCloud's encodings (`bodies`)."""
