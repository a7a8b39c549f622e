"""The JSON API (`/api/v1/`): composes each app's ninja router, tokens and the error format.

It holds no business rules: every handler calls one service or selector.
"""
