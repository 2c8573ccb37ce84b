"""Process telemetry below every layer: metrics any layer may record (imports no layer)."""
