"""The channel tree, the sources, and a channel's pinned top stories."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from newsportal.portal import Portal
from newsportal.web.api.auth import PortalDep
from newsportal.web.api.convert import cards_out, channel_out, section_or_404, source_out
from newsportal.web.api.schemas import CardOut, ChannelOut, SourceOut

router = APIRouter()
ChannelSlug = Annotated[str, Path(max_length=40)]


@router.get("/channels", response_model=list[ChannelOut], tags=["read"])
def list_channels(portal: PortalDep) -> list[ChannelOut]:
    return [channel_out(portal, c) for c in portal.channels]


@router.get("/sources", response_model=list[SourceOut], tags=["read"])
def list_sources(portal: PortalDep) -> list[SourceOut]:
    return [source_out(s) for s in portal.sources.values()]


@router.get("/channels/{slug}/pins", response_model=list[CardOut], tags=["newsroom"])
def list_pins(portal: PortalDep, slug: ChannelSlug) -> list[CardOut]:
    """The articles editors pinned at the top of this channel's module, in pin order."""
    return pinned(portal, slug)


def pinned(portal: Portal, slug: str) -> list[CardOut]:
    """The pins of a section channel (404 for an unknown one)."""
    ch = section_or_404(portal, slug)
    return cards_out(portal, portal.pins.get(ch.id, []))
