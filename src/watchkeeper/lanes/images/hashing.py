"""PDQ hashing of image files with pdqhash (the bindings to Meta's C++ reference).

EXIF orientation: Meta's reference hashers (the C++ ``pdq-photo-hasher`` and
python-threatexchange's ``pdq_hasher``) hash the pixels as stored and ignore the EXIF
Orientation tag, and so do the hashes partners share; their published hashes of
``exif-rotn-3/6/8.jpg`` are reproduced only that way (turning the image first, with
``ImageOps.exif_transpose``, moves them by about 130 bits). So the default is the
reference's, and ``exif=True`` turns the image upright first for banks built that way. A
photo whose tag turns it is found either way when rotations are matched: the 8 dihedral
hashes cover every orientation.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

from watchkeeper.errors import SourceError
from watchkeeper.lanes.images.codes import from_bits

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


def hash_image(path: Path, rotations: bool = False, exif: bool = False) -> ImageHash:
    """Hash one image file; SourceError naming the file when it cannot be read."""
    try:
        with Image.open(path) as image:
            upright = ImageOps.exif_transpose(image) if exif else image
            pixels = np.asarray(upright.convert("RGB"))
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        # PIL raises OSError for missing, truncated and undecodable files alike.
        raise SourceError.at(str(path), "file", f"cannot read the image: {exc}") from exc
    if rotations:
        vectors, quality = pdqhash.compute_dihedral(pixels)
        variants = {name: from_bits(v) for name, v in zip(VARIANTS, vectors, strict=True)}
        return ImageHash(str(path), variants["original"], int(quality), variants)
    vector, quality = pdqhash.compute(pixels)
    return ImageHash(str(path), from_bits(vector), int(quality))
