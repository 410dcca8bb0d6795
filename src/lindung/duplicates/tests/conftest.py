# The merge tests put people on program lists; the fixtures that make programs live with programs.
from lindung.programs.tests.conftest import make_program, regency_admin  # noqa: F401
