"""The cases app's fixtures, for the tiles that count cases."""

from yiwang.cases.tests.conftest import clinic, file_case, upload  # noqa: F401
