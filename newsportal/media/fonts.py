"""Find a CJK font for drawn images.

Debian's ``fonts-noto-cjk`` ships Noto Sans CJK as TrueType collections holding the JP, KR, SC, TC and HK
faces; the Simplified Chinese face is picked by name, not by a fixed index that differs between releases.
When no CJK font is installed, drawings are made without text rather than with boxes in place of
characters (callers receive None and skip the text).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

DEFAULT_FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype",
    "/usr/share/fonts",
)
_NAMES = {
    True: ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansCJK-Black.ttc"),
    False: ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansCJK-Medium.ttc"),
}


@lru_cache(maxsize=16)
def _locate(bold: bool, dirs: tuple[str, ...]) -> tuple[str, int] | None:
    candidates: list[Path] = []
    for directory in dirs:
        base = Path(directory)
        if not base.is_dir():
            continue
        for name in _NAMES[bold] + _NAMES[not bold]:
            candidates.extend(p for p in (base / name,) if p.is_file())
            candidates.extend(base.rglob(name) if directory.count(os.sep) <= 3 else ())
    for path in dict.fromkeys(candidates):
        for index in range(10):
            try:
                face = ImageFont.truetype(str(path), 16, index=index)
            except OSError:
                break
            family = face.getname()[0] or ""
            if family.endswith(" SC") or "CJKsc" in path.name:
                return str(path), index
    return None


class Fonts:
    """Sized CJK fonts, or None for every request when no CJK font can be found."""

    def __init__(self, dirs: tuple[str, ...] | None = None) -> None:
        self.dirs = tuple(dirs) if dirs is not None else DEFAULT_FONT_DIRS
        self._cache: dict[tuple[int, bool], ImageFont.FreeTypeFont | None] = {}

    @property
    def available(self) -> bool:
        return _locate(False, self.dirs) is not None or _locate(True, self.dirs) is not None

    def get(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont | None:
        key = (max(6, int(size)), bold)
        if key not in self._cache:
            found = _locate(bold, self.dirs) or _locate(not bold, self.dirs)
            self._cache[key] = ImageFont.truetype(found[0], key[0], index=found[1]) if found else None
        return self._cache[key]
