"""Static files as a served site answers them: hashed names (kept by browsers for a year) with
Brotli and gzip copies, written by `collectstatic` at every `lindung serve` start.

Whitenoise compresses every collected file again at each `collectstatic`, and Brotli at its best
quality is slow (about 45 s of CPU for the admin, the API docs and their source maps; minutes on
a busy 2-core machine), so this storage compresses less, without changing what pages load:
- only hashed names (`htmx-2.0.11.min.3d6553be6735.js`): pages always link those; the unhashed
  originals stay as they are, served uncompressed to whoever asks for them by that name;
- a hashed file that already has its `.br` and `.gz` copies is not compressed again: the name
  names its content, so its copies stay right although Django writes some hashed files again at
  every run (a second start costs about a second);
- no source maps (`.map`, megabytes each, fetched only by developer tools).
"""

from __future__ import annotations

import os
import re

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

SKIP_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")


class StaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        kwargs["extensions"] = SKIP_EXTENSIONS
        return super().create_compressor(**kwargs)

    def compress_files(self, paths):
        todo = [p for p in paths if HASHED.search(p) and not self._compressed(p)]
        yield from super().compress_files(todo)

    def _compressed(self, name: str) -> bool:
        path = self.path(name)
        return all(os.path.exists(path + suffix) for suffix in (".br", ".gz"))
