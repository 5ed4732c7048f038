from tests.access import AccessCase

CASES: list[AccessCase] = []
