# Topic-wide settings for the caching pages' runnable samples.
import os as _os

# cache-backends.md: the production settings read the Redis URLs from the
# environment. The runner points every Redis cache at its own throwaway server,
# so these values only need to exist.
_os.environ.setdefault("REDIS_CACHE_PRIMARY_URL", "redis://cache-1:6379/0")
_os.environ.setdefault("REDIS_CACHE_REPLICA_URL", "redis://cache-2:6379/0")
