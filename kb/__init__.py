"""kb: vidensbase og vejledningssøgning til socialtilsyn."""

__version__ = "0.1.0"
# Bumped whenever the on-disk index layout or chunking changes, so old indexes are refused.
INDEX_FORMAT = 2
