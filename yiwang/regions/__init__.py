"""Regions (行政区划), departments and staff with their roles and scopes.

It says who works where and may act on what region subtree; the decision itself lives in
`yiwang.permissions`. It never holds applicants or cases.
"""
