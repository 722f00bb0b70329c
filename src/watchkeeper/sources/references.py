"""The entity id prefixes followed by the publisher's own reference (``un-`` for
un-QDi.325, ``ofac-`` for ofac-2676): those of the formats whose ``ListSource.REFERENCE_IDS``
is set, written out here so that showing a reference (``screener.Hit.reference``) does not
import the formats' readers and followthemoney with them. ``registry`` checks, as it
registers the formats, that this is what they declare."""

REFERENCE_PREFIXES = ("un-", "ofac-")
