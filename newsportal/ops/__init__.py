"""Operations: backup and restore of an installation (see docs/operations.md)."""
