"""The audit record (审计留痕): an append-only, hash-chained record of every write.

Each stream (one per object) is its own chain, so concurrent writes never wait on one global
lock; anchors chain the streams' heads into one global chain. It never changes a record.
"""
