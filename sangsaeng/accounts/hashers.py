from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a minimal cost, for the test profile only (see settings.PASSWORD_HASHERS)."""

    algorithm = "argon2-test"
    time_cost = 1
    memory_cost = 64
    parallelism = 1
