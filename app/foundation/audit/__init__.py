"""audit package: the append-only trail of writes made by partner apps for creators."""
