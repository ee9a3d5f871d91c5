"""Deployment helpers: configuration files for what runs around the portal (nginx in front)."""
