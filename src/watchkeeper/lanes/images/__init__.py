"""Images lane: PDQ perceptual hashes of images matched against named hash banks.

``hashing`` turns an image into a PDQ hash (and its 8 rotations and flips), ``codes`` holds
the hex and bit-array forms, ``index`` finds hashes within a Hamming distance (exact numpy
scan for small banks, multi-index hashing for large ones), ``banks`` and ``bankfiles`` keep
and exchange the banks, ``matching`` explains each match and ``retro`` re-matches images
already seen when a bank gains entries.
"""
