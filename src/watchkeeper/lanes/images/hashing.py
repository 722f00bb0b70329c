"""PDQ hashing of image files with pdqhash (the bindings to Meta's C++ reference).

EXIF orientation: Meta's reference hashers (the C++ ``pdq-photo-hasher`` and
python-threatexchange's ``pdq_hasher``) hash the pixels as stored and ignore the EXIF
Orientation tag, and so do the hashes partners share; their published hashes of
``exif-rotn-3/6/8.jpg`` are reproduced only that way (turning the image first, with
``ImageOps.exif_transpose``, moves them by about 130 bits). So the default is the
reference's, and ``exif=True`` turns the image upright first for banks built that way. A
photo whose tag turns it is found either way when rotations are matched: the 8 dihedral
hashes cover every orientation.

Size. ``Image.open`` reads only the header, so an image's width and height are known before
its pixels are decoded: one over ``max_pixels`` (``WATCHKEEPER_IMAGE_MAX_PIXELS``) is a fault
of its own, and a 20000x20000 PNG of a few kilobytes never asks for 1.2 GB of pixels.
Pillow's own guard (``Image.MAX_IMAGE_PIXELS``: a warning, then ``DecompressionBombError``
at twice it) is left as it is: its warning is silenced, since the size is checked here, and
its error is the same fault.
"""

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

from watchkeeper.errors import SourceError
from watchkeeper.lanes.images.codes import from_bits

DEFAULT_MAX_PIXELS = 100_000_000  # the setting's default: 10000x10000
DEFAULT_MIN_QUALITY = 50
"""Below this quality (0 to 100) a PDQ hash says little about the image (flat or tiny
images hash to near-constant values that match each other): Meta's guidance is to ignore
it."""

# The order of pdqhash.compute_dihedral's hashes.
VARIANTS = (
    "original",
    "rotate-90",
    "rotate-180",
    "rotate-270",
    "flip-vertical",
    "flip-horizontal",
    "rotate-90-flip-vertical",
    "rotate-90-flip-horizontal",
)


@dataclass(frozen=True, slots=True)
class ImageHash:
    """The PDQ hash of one image, its quality and, when asked for, the hashes of its
    rotations and flips (``variants``, keyed by ``VARIANTS`` names, original included). A
    hash given as hex has no quality (None): whoever computed it vouched for it."""

    origin: str
    hash: str
    quality: int | None
    variants: dict[str, str] | None = None

    def usable(self, min_quality: int) -> bool:
        """Whether the hash is good enough to match (quality at least ``min_quality``)."""
        return self.quality is None or self.quality >= min_quality

    def forms(self) -> dict[str, str]:
        """Every hash to match, by variant name: the original alone without rotations."""
        return self.variants if self.variants is not None else {"original": self.hash}


def hash_image(
    path: Path, rotations: bool = False, exif: bool = False, max_pixels: int = DEFAULT_MAX_PIXELS
) -> ImageHash:
    """Hash one image file; SourceError naming the file, the position and the fault when
    it cannot be read or is larger than ``max_pixels``."""
    pixels = _pixels(path, exif, max_pixels)
    # pdqhash's C++ is handed a plain RGB array; anything it raises is a fault of this image.
    try:
        if rotations:
            vectors, quality = pdqhash.compute_dihedral(pixels)
            variants = {name: from_bits(v) for name, v in zip(VARIANTS, vectors, strict=True)}
            return ImageHash(str(path), variants["original"], int(quality), variants)
        vector, quality = pdqhash.compute(pixels)
    except Exception as exc:
        raise SourceError.at(str(path), "pixels", f"cannot hash the image: {exc}") from exc
    return ImageHash(str(path), from_bits(vector), int(quality))


def _pixels(path: Path, exif: bool, max_pixels: int) -> np.ndarray[Any, Any]:
    """The image's pixels as RGB, once its header says they are few enough."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise SourceError.at(str(path), "header", _too_large(width, height, max_pixels))
                upright = ImageOps.exif_transpose(image) if exif else image
                return np.asarray(upright.convert("RGB"))
    except SourceError:
        raise
    except Image.DecompressionBombError as exc:
        raise SourceError.at(str(path), "header", f"too large, not decoded: {exc}") from exc
    except (OSError, UnidentifiedImageError) as exc:
        # Pillow raises OSError for missing, truncated and undecodable files alike.
        problem = f"cannot read: {exc.strerror}" if exc.errno else f"cannot read the image: {exc}"
        raise SourceError.at(str(path), "file", problem) from exc
    except Exception as exc:
        # Pillow's format plugins raise what a malformed file leads them into (SyntaxError,
        # struct.error, IndexError...): each is a fault of this file, and the batch goes on.
        raise SourceError.at(str(path), "file", f"cannot read the image: {exc!r}") from exc


def _too_large(width: int, height: int, max_pixels: int) -> str:
    return (
        f"{width}x{height} is {width * height:,} pixels, over the limit of {max_pixels:,} "
        "(WATCHKEEPER_IMAGE_MAX_PIXELS); not decoded"
    )
