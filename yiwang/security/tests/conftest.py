from yiwang.cases.tests import conftest as case_fixtures

# The case app's fixtures, shared: a clinic, uploads, filing a case.
clinic = case_fixtures.clinic
upload = case_fixtures.upload
file_case = case_fixtures.file_case
